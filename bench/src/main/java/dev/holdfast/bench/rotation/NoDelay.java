package dev.holdfast.bench.rotation;

import dev.holdfast.testkit.WrappingSocketFactory;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLSocketFactory;

/** TLS sockets with Nagle's algorithm off (TCP_NODELAY), for the benchmark's second pass. */
final class NoDelay extends WrappingSocketFactory {
  NoDelay(SSLSocketFactory inner) {
    super(inner);
  }

  @Override
  protected Socket made(Socket s) throws SocketException {
    s.setTcpNoDelay(true);
    return s;
  }
}
