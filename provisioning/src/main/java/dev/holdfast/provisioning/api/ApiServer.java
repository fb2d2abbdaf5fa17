package dev.holdfast.provisioning.api;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.tinylog.Logger;

/** The provisioning API's HTTP(S) server: the JDK's {@code HttpsServer} with the CA-issued certificate. */
public final class ApiServer implements AutoCloseable {
  /**
   * The JDK server leaves Nagle's algorithm on unless this is set; with the client's delayed ACK
   * every keep-alive response then waits ~40 ms (about 25 requests/s per connection). The server
   * reads it once, when the first {@code HttpServer} of the JVM is created.
   */
  public static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    lowLatency();
  }

  /** A path prefix and what answers it. */
  public record Route(String path, HttpHandler handler) {}

  private final HttpServer server;
  private final boolean tls;

  private ApiServer(HttpServer server, boolean tls) {
    this.server = server;
    this.tls = tls;
  }

  /**
   * Binds and starts. {@code credentials} empty means plain HTTP, which the CLI allows only with
   * an explicit {@code --insecure-http} on loopback.
   */
  public static ApiServer start(InetSocketAddress listen, Optional<ServerCredentials> credentials, List<Route> routes,
      ExecutorService executor, SecureRandom random) throws IOException {
    HttpServer server;
    if (credentials.isPresent()) {
      HttpsServer https = HttpsServer.create(listen, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(sslContext(credentials.get(), random)));
      server = https;
    } else {
      server = HttpServer.create(listen, 64);
    }
    for (Route r : routes) {
      server.createContext(r.path(), r.handler());
    }
    server.setExecutor(executor);
    server.start();
    ApiServer api = new ApiServer(server, credentials.isPresent());
    Logger.info("provisioning API listening on {}://{}:{} ({})", tls(api), listen.getHostString(), api.port(),
        routes.stream().map(Route::path).toList());
    return api;
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
      char[] password = new char[0];
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", credentials.key(), password,
          credentials.chain().subList(0, 2).toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, random);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build the server's TLS context", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public boolean tls() {
    return tls;
  }

  /** Stops accepting and gives running exchanges up to {@code seconds} to finish. */
  public void stop(int seconds) {
    server.stop(seconds);
  }

  @Override
  public void close() {
    stop(1);
  }
}
