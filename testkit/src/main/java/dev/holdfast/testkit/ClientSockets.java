package dev.holdfast.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A client {@link SSLSocketFactory} with a hand on the cable: optionally pins the TLS versions,
 * remembers the sockets it made so a test can cut them the way a pulled cable or a crash would
 * (TCP RST, no MQTT DISCONNECT), and while {@link #down()} makes new connections fail.
 */
public final class ClientSockets extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final String[] protocols;
  private final List<Socket> made = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  /** @param protocols the TLS versions to enable, none for the delegate's defaults */
  public ClientSockets(SSLSocketFactory delegate, String... protocols) {
    this.delegate = delegate;
    this.protocols = protocols.clone();
  }

  /** New connections fail until {@link #up()}. */
  public void down() {
    down = true;
  }

  public void up() {
    down = false;
  }

  /** Resets every socket made so far with a TCP RST, without any MQTT or TLS goodbye. */
  public void cutAll() throws IOException {
    for (Socket s : made) {
      try {
        s.setSoLinger(true, 0);
      } catch (SocketException alreadyClosed) {
        // nothing to cut
      }
      s.close();
    }
  }

  /** The TLS version negotiated on the newest socket, or "none". */
  String protocol() {
    for (int i = made.size() - 1; i >= 0; i--) {
      if (made.get(i) instanceof SSLSocket tls) {
        return tls.getSession().getProtocol();
      }
    }
    return "none";
  }

  @Override
  public Socket createSocket() throws IOException {
    return track(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return track(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return track(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return track(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return track(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return track(delegate.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  private Socket track(Socket s) throws IOException {
    if (down) {
      s.close();
      throw new IOException("network down (test)");
    }
    if (protocols.length > 0 && s instanceof SSLSocket tls) {
      tls.setEnabledProtocols(protocols.clone());
    }
    made.add(s);
    return s;
  }
}
