package dev.holdfast.testkit;

import dev.holdfast.common.net.WrappingSocketFactory;
import java.io.IOException;
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
public final class ClientSockets extends WrappingSocketFactory {
  private final String[] protocols;
  private final List<Socket> made = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  /** @param protocols the TLS versions to enable, none for the delegate's defaults */
  public ClientSockets(SSLSocketFactory delegate, String... protocols) {
    super(delegate);
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
  protected Socket made(Socket s) throws IOException {
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
