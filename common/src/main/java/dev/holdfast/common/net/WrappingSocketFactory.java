package dev.holdfast.common.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that hands every socket its delegate makes to {@link #made} before
 * returning it: the one place the six {@code createSocket} overloads are written out.
 */
public abstract class WrappingSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;

  protected WrappingSocketFactory(SSLSocketFactory delegate) {
    this.delegate = delegate;
  }

  /** What to do with each new socket (set an option, remember it, refuse it); returns it. */
  protected abstract Socket made(Socket s) throws IOException;

  @Override
  public final Socket createSocket() throws IOException {
    return made(delegate.createSocket());
  }

  @Override
  public final Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return made(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public final Socket createSocket(String host, int port) throws IOException {
    return made(delegate.createSocket(host, port));
  }

  @Override
  public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return made(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public final Socket createSocket(InetAddress host, int port) throws IOException {
    return made(delegate.createSocket(host, port));
  }

  @Override
  public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return made(delegate.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public final String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public final String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }
}
