package dev.holdfast.bench.relay;

import com.sun.net.httpserver.HttpServer;
import dev.holdfast.bench.support.NamedArgs;
import dev.holdfast.bench.support.QuietLogs;
import dev.holdfast.bench.support.SectionedReport;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.relay.IdempotencyStore;
import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.relay.RelayServer;
import dev.holdfast.provisioning.relay.RelaySettings;
import dev.holdfast.provisioning.relay.SmsSender;
import dev.holdfast.provisioning.relay.TwilioSender;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code bench/run relay [--clients N] [--few-clients F] [--requests M] [--baseline-requests B]
 * [--threads T] [--rounds R]}: relay requests/s over loopback HTTPS with API-key verification,
 * rate limiting, validation and idempotency on, as a ratio to the same server ({@link ApiServer}:
 * Jetty, same certificate, same limits, same T handler threads) answering a constant 200 with no
 * work, measured in the same run. Two loads: N clients (default 64, many devices at once, the
 * fleet's case) and F clients (default 8; 0 skips it). T defaults to the shipped {@code
 * relay.threads}. Each phase sends exactly clients x requests requests; rounds are interleaved and
 * the best figure of each phase is reported, with the idempotency commits per request of the key-on
 * phases.
 */
public final class RelayBenchmark {
  static final String MESSAGE = "{\"to\":\"+15551234567\",\"body\":\"door opened\"}";
  static final byte[] CONSTANT = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
  /** Generous limits, the same for the baseline and the relay: one source (the load) holds every connection. */
  static final ApiLimits LIMITS = new ApiLimits(Duration.ofMinutes(1), 100_000, 1, 1);
  static final String[] PHASES = {"constant 200 (baseline)", "relay, Idempotency-Key on, in-process SMS sender",
      "relay, no Idempotency-Key, in-process SMS sender", "relay, Idempotency-Key on, loopback Twilio fake"};

  private RelayBenchmark() {}

  /** One load (a number of clients) and what it measured: the best figure of each phase, the commits. */
  private static final class Concurrency {
    final int clients;
    final Load load;
    final double[] best = new double[PHASES.length];
    long commits;
    long keyedRequests;

    Concurrency(int clients, Load load) {
      this.clients = clients;
      this.load = load;
    }

    double commitsPerRequest() {
      return commits / (double) keyedRequests;
    }
  }

  public static void run(String[] argv) throws Exception {
    NamedArgs args = new NamedArgs(argv, Map.of("clients", 64, "few-clients", 8, "requests", 300,
        "baseline-requests", 1200, "threads", RelaySettings.defaults().threads(), "rounds", 3), 0);
    for (String positive : List.of("clients", "requests", "baseline-requests", "threads", "rounds")) {
      if (args.get(positive) < 1) {
        throw new IllegalArgumentException("--" + positive + " must be at least 1 (only --few-clients takes 0: skip it)");
      }
    }
    int threads = args.get("threads");
    QuietLogs.toTempFile();
    RelayServer.lowLatency();
    try (BenchPki pki = new BenchPki()) {
      ServerCredentials credentials = pki.serverCredentials();
      ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, pki.random);
      String apiKey = pki.apiKey(keys);
      List<ExecutorService> executors = new ArrayList<>();
      HttpServer upstream = fakeTwilio(pool(executors, 4));
      RelaySettings settings = new RelaySettings(List.of("localhost", "127.0.0.1"), 8192, 100_000, 1_000_000,
          Duration.ofHours(24), URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), "ACbench",
          "+15550000000", Duration.ofSeconds(10), threads);
      SmsSender inProcess = m -> new SmsSender.Accepted("SMbench");
      SmsSender twilio = new TwilioSender(HttpClient.newBuilder().build(), settings,
          Secret.copyOf("bench-token".getBytes(StandardCharsets.UTF_8)), pki.clock);
      ApiServer constant = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Optional.of(credentials),
          List.of(new ApiServer.Route("/v1/messages", RelayBenchmark::constant)), LIMITS, threads, pki.random);
      IdempotencyStore storeA = idempotency(pki, settings, "a");
      IdempotencyStore storeB = idempotency(pki, settings, "b");
      RelayServer relay = relay(pki, keys, credentials, settings, inProcess, storeA);
      RelayServer relayUpstream = relay(pki, keys, credentials, settings, twilio, storeB);
      List<Concurrency> loads = new ArrayList<>();
      for (int clients : new int[] {args.get("few-clients"), args.get("clients")}) {
        if (clients > 0) {
          loads.add(new Concurrency(clients, new Load(clients, pki.clientContext())));
        }
      }
      int port = constant.port();
      try {
        for (int round = 0; round <= args.get("rounds"); round++) {
          boolean warmUp = round == 0;
          int per = warmUp ? Math.max(1, args.get("requests") / 5) : args.get("requests");
          int basePer = warmUp ? Math.max(1, args.get("baseline-requests") / 5) : args.get("baseline-requests");
          System.out.printf("%s:%n", warmUp ? "warm-up (discarded)" : "round " + round);
          for (Concurrency at : loads) {
            String tag = "r" + round + "c" + at.clients;
            long commitsBefore = storeA.commits() + storeB.commits();
            double[] now = {
                at.load.run(basePer, 200, (c, i) -> post(port, null, null)),
                at.load.run(per, 201, (c, i) -> post(relay.port(), apiKey, tag + "-a-" + c + "-" + i)),
                at.load.run(per, 201, (c, i) -> post(relay.port(), apiKey, null)),
                at.load.run(per, 201, (c, i) -> post(relayUpstream.port(), apiKey, tag + "-b-" + c + "-" + i))};
            for (int p = 0; p < PHASES.length; p++) {
              System.out.printf("  %3d clients: %-52s %10s req/s%n", at.clients, PHASES[p],
                  SectionedReport.number(now[p]));
              if (!warmUp) {
                at.best[p] = Math.max(at.best[p], now[p]);
              }
            }
            if (!warmUp) {
              at.commits += storeA.commits() + storeB.commits() - commitsBefore;
              at.keyedRequests += 2L * at.clients * per;
            }
          }
        }
      } finally {
        constant.stop(0);
        relay.stop(0);
        relayUpstream.stop(0);
        storeA.close();
        storeB.close();
        upstream.stop(0);
        executors.forEach(ExecutorService::shutdownNow);
      }
      for (Concurrency at : loads) {
        System.out.printf("%d clients: Idempotency-Key on %.2f of the baseline, off %.2f; %.2f commits per request%n",
            at.clients, at.best[1] / at.best[0], at.best[2] / at.best[0], at.commitsPerRequest());
      }
      write(args, threads, loads);
    }
  }

  private static void write(NamedArgs args, int threads, List<Concurrency> loads) throws Exception {
    StringBuilder md = new StringBuilder("## Relay: requests per second\n\n").append(SectionedReport.machine())
        .append("- parameters: ");
    for (Concurrency at : loads) {
      md.append(at.clients).append(" and ");
    }
    md.setLength(md.length() - " and ".length());
    md.append(" concurrent clients (one keep-alive HTTPS connection each; each load runs every phase), ")
        .append(threads).append(" server handler threads (the shipped `relay.threads`), ")
        .append(args.get("requests")).append(" requests per client per relay phase, ")
        .append(args.get("baseline-requests")).append(" per client for the baseline, ")
        .append(args.get("rounds")).append(" interleaved rounds after a warm-up, best figure of each phase over the rounds reported\n")
        .append("- transport: HTTPS (TLS, the provisioning API server: Jetty through `ApiServer`, P-256 certificate ")
        .append("from the fleet CA) over loopback; ")
        .append("client and server share the machine's CPUs\n\n")
        .append("| phase |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Concurrency at : loads) {
      md.append(" ").append(at.clients).append(" clients: req/s | ratio |");
      rule.append("---:|---:|");
    }
    md.append("\n").append(rule).append("\n");
    for (int p = 0; p < PHASES.length; p++) {
      md.append("| ").append(PHASES[p]).append(" |");
      for (Concurrency at : loads) {
        md.append(" ").append(SectionedReport.number(at.best[p])).append(" | ")
            .append(SectionedReport.number(at.best[p] / at.best[0])).append(" |");
      }
      md.append("\n");
    }
    md.append("\n- idempotency commits per request with a key (both key-on phases, timed rounds): ");
    for (Concurrency at : loads) {
      md.append(String.format(java.util.Locale.ROOT, "%.2f at %d clients, ", at.commitsPerRequest(), at.clients));
    }
    md.append("2.00 without sharing\n")
        .append("\nThe baseline is the same `ApiServer` (Jetty, certificate, limits, thread count) answering a constant\n")
        .append("200 without reading the key. A relay request verifies the API key (HMAC-SHA256 + full-length compare),\n")
        .append("checks scope and the token bucket, validates the JSON and, with an `Idempotency-Key`, records\n")
        .append("SENDING before the send (applied, not waited for) and waits for SENT to be durable after it, in\n")
        .append("the relay's idempotency log (one sealed batch and one fdatasync per commit). Concurrent requests\n")
        .append("share those commits (group commit, docs/decisions.md). The relay\n")
        .append("logs one info line per message, as the shipped jar does, here to a file.\n\n");
    Report.RESULTS.writeSection("relay", md.toString());
  }

  private static ExecutorService pool(List<ExecutorService> all, int threads) {
    ExecutorService e = Executors.newFixedThreadPool(threads);
    all.add(e);
    return e;
  }

  private static IdempotencyStore idempotency(BenchPki pki, RelaySettings settings, String owner)
      throws RegistryException {
    IdempotencyStore store = IdempotencyStore.open(pki.registry, pki.dir.resolve("idempotency-" + owner), pki.clock,
        settings.idempotencyWindow(), "bench-" + owner, pki.random);
    store.start(r -> {
      Thread t = new Thread(r, "bench-idempotency-" + owner);
      t.setDaemon(true);
      return t;
    });
    return store;
  }

  private static RelayServer relay(BenchPki pki, ApiKeyService keys, ServerCredentials credentials,
      RelaySettings settings, SmsSender sender, IdempotencyStore idempotency) throws Exception {
    return RelayServer.start(new InetSocketAddress("127.0.0.1", 0), Optional.of(credentials), settings, keys,
        idempotency, new RateLimiter(pki.clock, settings.rateBurst(), settings.ratePerMinute()), sender,
        LIMITS, pki.random);
  }

  /** The baseline's handler: reads the body and answers a constant 200, as cheaply as the API allows. */
  private static void constant(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
    try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
      in.readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, CONSTANT.length);
      out.write(CONSTANT);
    }
  }

  /** A plain-HTTP loopback stand-in for the SMS API that accepts every message. */
  private static HttpServer fakeTwilio(ExecutorService executor) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    byte[] created = "{\"sid\":\"SMbench\",\"status\":\"queued\"}".getBytes(StandardCharsets.US_ASCII);
    server.createContext("/", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        in.readAllBytes();
        exchange.sendResponseHeaders(201, created.length);
        out.write(created);
      }
    });
    server.setExecutor(executor);
    server.start();
    return server;
  }

  private static HttpRequest post(int port, String apiKey, String idempotencyKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/messages"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(MESSAGE));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return b.build();
  }
}
