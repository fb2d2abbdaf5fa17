package dev.holdfast.provisioning.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.holdfast.common.net.PinnedTls;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.tinylog.Logger;

/**
 * The provisioning API's HTTP(S) server: Jetty, with the CA-issued certificate, carrying handlers
 * written to the JDK's {@code com.sun.net.httpserver} API (Jetty's http-spi adapter). Jetty rather
 * than the JDK's own server because the JDK's cannot bound a slow client (docs/decisions.md): here
 * headers are parsed without holding a thread, a request must be read within {@link
 * ApiLimits#readTimeout()}, and one source may hold at most {@link ApiLimits#connectionsPerSource()}
 * connections.
 */
public final class ApiServer implements AutoCloseable {
  /**
   * The JDK server leaves Nagle's algorithm on unless this is set. Jetty turns it off on its own;
   * this stays for any JDK {@code HttpServer} of the JVM, which reads it once, at the first.
   */
  public static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  /**
   * jetty-http-spi registers Jetty as the provider of every {@code HttpServer.create()}; the API
   * server uses Jetty directly, so any other server of the JVM stays the JDK's (the shaded jars also
   * leave the registration out).
   */
  static final String PROVIDER_PROPERTY = "com.sun.net.httpserver.HttpServerProvider";

  static {
    lowLatency();
    if (System.getProperty(PROVIDER_PROPERTY) == null) {
      System.setProperty(PROVIDER_PROPERTY, "sun.net.httpserver.DefaultHttpServerProvider");
    }
  }

  /** A path prefix and what answers it. */
  public record Route(String path, HttpHandler handler) {}

  private final Server server;
  private final ServerConnector connector;
  private final boolean tls;

  private ApiServer(Server server, ServerConnector connector, boolean tls) {
    this.server = server;
    this.connector = connector;
    this.tls = tls;
  }

  /**
   * Binds and starts. {@code credentials} empty means plain HTTP, which the CLI allows only with
   * an explicit {@code --insecure-http} on loopback. {@code threads} run the handlers.
   */
  public static ApiServer start(InetSocketAddress listen, Optional<ServerCredentials> credentials, List<Route> routes,
      ApiLimits limits, int threads, SecureRandom random) throws IOException {
    return start(listen, credentials.map(c -> tlsFactory(sslContext(c, random))), routes, limits, threads);
  }

  /**
   * An HTTPS server that needs a client certificate chaining to what {@code context} trusts (the
   * fleet root for the admin API); handlers read it with {@link #peerCertificate}. A client without
   * one fails the handshake.
   */
  public static ApiServer startMutual(InetSocketAddress listen, SSLContext context, List<Route> routes,
      ApiLimits limits, int threads) throws IOException {
    SslContextFactory.Server factory = tlsFactory(context);
    factory.setNeedClientAuth(true);
    return start(listen, Optional.of(factory), routes, limits, threads);
  }

  /** The client's certificate on a {@link #startMutual} server (leaf), empty on any other. */
  public static Optional<X509Certificate> peerCertificate(HttpExchange exchange) {
    Object data = exchange.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
    if (data instanceof EndPoint.SslSessionData ssl && ssl.peerCertificates() != null
        && ssl.peerCertificates().length > 0) {
      return Optional.of(ssl.peerCertificates()[0]);
    }
    return Optional.empty();
  }

  private static ApiServer start(InetSocketAddress listen, Optional<SslContextFactory.Server> tls, List<Route> routes,
      ApiLimits limits, int threads) throws IOException {
    QueuedThreadPool pool = new QueuedThreadPool(threads + 2, Math.min(threads + 2, 4));
    pool.setName("provisioning-api");
    pool.setReservedThreads(0);
    Server server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    if (tls.isPresent()) {
      // Puts the TLS session (the client's certificate) on each request; the Host header is not
      // matched to the certificate's names: the client checked those.
      config.addCustomizer(new SecureRequestCustomizer(false));
    }
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    ReadDeadlines deadlines = new ReadDeadlines(server.getScheduler(), limits.readTimeout());
    http.addEventListener(deadlines);
    ServerConnector connector = tls.isPresent()
        ? new ServerConnector(server, 1, 1, new SslConnectionFactory(tls.get(), http.getProtocol()), http)
        : new ServerConnector(server, 1, 1, http);
    connector.setHost(listen.getHostString());
    connector.setPort(listen.getPort());
    connector.setAcceptQueueSize(64);
    connector.addEventListener(new SourceConnectionLimit(limits.connectionsPerSource()));
    server.addConnector(connector);
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    server.setHandler(deadlines.wrap(contexts));
    JettyHttpServer spi = new JettyHttpServer(server, true);
    for (Route r : routes) {
      spi.createContext(r.path(), r.handler());
    }
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server);
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException("could not start the API server on " + listen + ": " + e.getMessage(), e);
    }
    ApiServer api = new ApiServer(server, connector, tls.isPresent());
    Logger.info("provisioning API listening on {}://{}:{} ({})", tls(api), listen.getHostString(), api.port(),
        routes.stream().map(Route::path).toList());
    return api;
  }

  private static SslContextFactory.Server tlsFactory(SSLContext context) {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(context);
    return factory;
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      Logger.debug("stopping a server that did not start: {}", e.getClass().getName());
    }
  }

  private static String tls(ApiServer api) {
    return api.tls ? "https" : "http";
  }

  /**
   * Turns Nagle's algorithm off for the JDK's HTTP servers of this JVM unless the operator chose
   * otherwise. Call before any {@code HttpServer} is created (the wiring does, first thing); loading
   * this class does it too.
   */
  public static void lowLatency() {
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
  }

  /** The server's TLS context: its certificate and key, with the chain up to (not including) the root. */
  public static SSLContext sslContext(ServerCredentials credentials, SecureRandom random) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {PinnedTls.keyManager(credentials.key(), credentials.chain().subList(0, 2))}, null,
          random);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not build the server's TLS context", e);
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  public boolean tls() {
    return tls;
  }

  /** Stops accepting and gives running exchanges up to {@code seconds} to finish. */
  public void stop(int seconds) {
    server.setStopTimeout(seconds * 1000L);
    try {
      server.stop();
    } catch (Exception e) {
      Logger.warn("stopping the API server: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    stop(1);
  }
}
