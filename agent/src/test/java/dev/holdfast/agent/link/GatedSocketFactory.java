package dev.holdfast.agent.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;

/**
 * The device's TLS sockets with a hand on the cable: {@link #cut()} resets every open connection
 * (no DISCONNECT, as a pulled cable or a crash would), and while {@link #down()} new connections fail.
 */
final class GatedSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory tls;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  GatedSocketFactory(SSLSocketFactory tls) {
    this.tls = tls;
  }

  /** New connections fail until {@link #up()}. */
  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  /** Resets every connection made so far with a TCP RST. */
  void cut() throws IOException {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
      } catch (SocketException alreadyClosed) {
        // nothing to cut
      }
      s.close();
    }
    sockets.clear();
  }

  private Socket track(Socket s) throws IOException {
    if (down) {
      s.close();
      throw new IOException("network down (test)");
    }
    sockets.add(s);
    return s;
  }

  @Override
  public Socket createSocket() throws IOException {
    return track(tls.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return track(tls.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return track(tls.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return track(tls.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return track(tls.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return track(tls.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return tls.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return tls.getSupportedCipherSuites();
  }
}
