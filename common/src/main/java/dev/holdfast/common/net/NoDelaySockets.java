package dev.holdfast.common.net;

import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets with Nagle's algorithm off (TCP_NODELAY), for MQTT. A request/response over MQTT is
 * a few small TLS records each way; with Nagle on, the second small write of a side waits for the
 * ACK of the first, which the peer delays by up to 40 ms. Measured on loopback with the shipped
 * broker (which sets {@code set_tcp_nodelay}): a request/response through the service 88 ms with
 * Nagle on the clients, 4 ms with it off (docs/benchmarks/rotation.md).
 */
public final class NoDelaySockets extends WrappingSocketFactory {
  private NoDelaySockets(SSLSocketFactory inner) {
    super(inner);
  }

  public static SSLSocketFactory wrap(SSLSocketFactory tls) {
    return tls instanceof NoDelaySockets ? tls : new NoDelaySockets(tls);
  }

  @Override
  protected Socket made(Socket s) throws SocketException {
    s.setTcpNoDelay(true);
    return s;
  }
}
