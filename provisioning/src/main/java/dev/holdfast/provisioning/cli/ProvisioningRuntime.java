package dev.holdfast.provisioning.cli;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.api.EnrollHandler;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.ca.CaException;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.registry.MapDbRegistry;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.relay.IdempotencyStore;
import dev.holdfast.provisioning.relay.RateLimiter;
import dev.holdfast.provisioning.relay.RelayServer;
import dev.holdfast.provisioning.relay.RelaySettings;
import dev.holdfast.provisioning.relay.TwilioSender;
import dev.holdfast.provisioning.relay.WebhookSender;
import dev.holdfast.provisioning.support.Base62;
import dev.holdfast.provisioning.tokens.Enrollment;
import dev.holdfast.provisioning.tokens.TokenService;
import dev.holdfast.vault.KeySourceResolver;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.SecureFiles;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.Console;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The one place the program is wired: the real clock, the real randomness, the environment, the
 * vault file and the config. Every feature gets what it needs from here; nothing else creates them.
 */
public final class ProvisioningRuntime implements AutoCloseable {
  public static final String VAULT_FILE = "provisioning.db";
  static final String CREDENTIAL = "store-key";
  static final String UPSTREAM_TOKEN = "relay.upstream.auth-token";
  static final String RELAY_TLS = "relay.tls";

  final Path dir;
  final ProvisioningConfig config;
  final Registry registry;
  final Clock clock;
  final SecureRandom random;
  final String actor;

  private ProvisioningRuntime(Path dir, ProvisioningConfig config, Registry registry, Clock clock, SecureRandom random,
      String actor) {
    this.dir = dir;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.random = random;
    this.actor = actor;
  }

  static Clock systemClock() {
    return Clock.systemUTC();
  }

  static SecureRandom systemRandom() {
    return new SecureRandom();
  }

  static String operator() {
    return "operator:" + System.getProperty("user.name", "unknown");
  }

  static MasterKeySource resolveKey(Map<String, String> env, Optional<Path> keyFile, boolean creating)
      throws VaultException {
    return new KeySourceResolver(env, CREDENTIAL, (prompt, confirm) -> {
      Console console = System.console();
      if (console == null) {
        return Optional.empty();
      }
      char[] first = console.readPassword("%s", prompt);
      if (confirm) {
        char[] again = console.readPassword("Repeat: ");
        if (!java.util.Arrays.equals(first, again)) {
          throw new VaultException(VaultException.Reason.NO_KEY, "the passphrases did not match");
        }
      }
      return Optional.ofNullable(first);
    }).resolve(keyFile, creating);
  }

  /** Opens an initialised data directory. */
  static ProvisioningRuntime open(Path dir, Optional<Path> keyFile, Map<String, String> env)
      throws VaultException, ConfigException, IOException {
    ProvisioningConfig config = ProvisioningConfig.load(dir);
    SecureRandom random = systemRandom();
    Vault vault = Vault.open(dir.resolve(VAULT_FILE), resolveKey(env, keyFile, false), random);
    return new ProvisioningRuntime(dir, config, new MapDbRegistry(vault), systemClock(), random, operator());
  }

  /** What {@code init} created. */
  record Initialized(Path dir, Path root, Path chain, Path commandKey, String keyOrigin) {}

  /** Creates a data directory: vault, CA, peppers, config, public files. */
  static Initialized init(Path dir, Optional<Path> keyFile, Map<String, String> env, String fleetName,
      List<String> serverNames, Optional<Path> crlPath)
      throws VaultException, RegistryException, CaException, IOException {
    Path config = dir.resolve(ProvisioningConfig.FILE);
    if (Files.exists(config) || Files.exists(dir.resolve(VAULT_FILE))) {
      throw new VaultException(VaultException.Reason.ALREADY_EXISTS,
          dir + " is already a provisioning data directory; refusing to overwrite it");
    }
    SecureFiles.createPrivateDirectories(dir);
    SecureRandom random = systemRandom();
    Clock clock = systemClock();
    MasterKeySource key = resolveKey(env, keyFile, true);
    try (Registry registry = new MapDbRegistry(Vault.create(dir.resolve(VAULT_FILE), key, random))) {
      CertificateAuthority.Initialized ca = CertificateAuthority.initialize(registry, fleetName, clock, random, operator());
      ApiKeyService.open(registry, clock, random);
      TokenService.open(registry, clock, random);
      SecureFiles.writeAtomically(config,
          ProvisioningConfig.initialText(fleetName, serverNames, crlPath).getBytes(StandardCharsets.UTF_8), false);
      Path root = dir.resolve("fleet-root.pem");
      Path chain = dir.resolve("ca-chain.pem");
      Path command = dir.resolve("command-signing.pub.pem");
      SecureFiles.writeAtomically(root, Pem.certificates(List.of(ca.root())).getBytes(StandardCharsets.US_ASCII), false);
      SecureFiles.writeAtomically(chain,
          Pem.certificates(List.of(ca.issuing(), ca.root())).getBytes(StandardCharsets.US_ASCII), false);
      SecureFiles.writeAtomically(command,
          Pem.encode("PUBLIC KEY", ca.commandSigningKey().getEncoded()).getBytes(StandardCharsets.US_ASCII), false);
      return new Initialized(dir, root, chain, command, key.origin());
    }
  }

  CertificateAuthority ca() throws RegistryException, CaException {
    return CertificateAuthority.open(registry, config.ca(), clock, random);
  }

  ApiKeyService apiKeys() throws RegistryException {
    return ApiKeyService.open(registry, clock, random);
  }

  TokenService tokens() throws RegistryException {
    return TokenService.open(registry, clock, random);
  }

  Enrollment enrollment() throws RegistryException, CaException {
    return new Enrollment(registry, tokens(), ca(), apiKeys(), clock, random);
  }

  void setUpstreamToken(Secret token) throws RegistryException {
    registry.write(tx -> {
      tx.putSecret(UPSTREAM_TOKEN, token);
      return null;
    });
  }

  /** A running API server (enroll + relay) and what it needs stopped with it. */
  record RunningRelay(ApiServer server, ExecutorService executor, ScheduledExecutorService maintenance) {
    void stop() {
      maintenance.shutdownNow();
      server.close();
      executor.shutdownNow();
    }
  }

  RunningRelay startRelay(InetSocketAddress listen, boolean insecureHttp)
      throws RegistryException, CaException, ConfigException, IOException {
    var settings = config.relay();
    boolean twilio = settings.upstream() == RelaySettings.Upstream.TWILIO;
    if (twilio && (settings.accountSid().isEmpty() || settings.from().isEmpty())) {
      throw new ConfigException("relay.upstream.account-sid and relay.upstream.from must be set in "
          + dir.resolve(ProvisioningConfig.FILE));
    }
    Optional<Secret> token = registry.read(tx -> tx.secret(UPSTREAM_TOKEN));
    if (twilio && token.isEmpty()) {
      throw new ConfigException(
          "no SMS API auth token; store it with 'holdfast-provisioning relay set-auth-token --dir " + dir + "'");
    }
    CertificateAuthority ca = ca();
    var credentials = insecureHttp ? Optional.<dev.holdfast.provisioning.ca.ServerCredentials>empty()
        : Optional.of(ca.serverCredentials(RELAY_TLS, settings.serverNames(), "relay"));
    String owner = "relay-" + Base62.random(random, 12);
    IdempotencyStore idempotency = new IdempotencyStore(registry, clock, settings.idempotencyWindow(), owner);
    idempotency.purgeExpired();
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.upstreamTimeout()).build();
    ExecutorService executor = Executors.newFixedThreadPool(settings.threads());
    ApiServer.Route relay = RelayServer.route(settings, apiKeys(), idempotency,
        new RateLimiter(clock, settings.rateBurst(), settings.ratePerMinute()),
        twilio ? new TwilioSender(http, settings, token.orElseThrow()) : new WebhookSender(http, settings, token),
        random);
    ApiServer server = ApiServer.start(listen, credentials,
        List.of(EnrollHandler.route(new Enrollment(registry, tokens(), ca, apiKeys(), clock, random)), relay),
        executor, random);
    ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor();
    maintenance.scheduleAtFixedRate(() -> maintain(idempotency, ca), 1, 1, TimeUnit.HOURS);
    return new RunningRelay(server, executor, maintenance);
  }

  /**
   * Hourly, in the relay process (which holds the vault, so no other process can): drop expired
   * idempotency records and, when a CRL path is configured, rewrite the CRL so it never reaches
   * its nextUpdate while the relay runs.
   */
  private void maintain(IdempotencyStore idempotency, CertificateAuthority ca) {
    try {
      idempotency.purgeExpired();
      ca.refreshCrl();
    } catch (RegistryException | IOException | RuntimeException e) {
      Logger.error("relay maintenance failed: {}", e.getMessage());
    }
  }

  /** Blocks the calling thread until the JVM is asked to stop. */
  static void awaitShutdown(Runnable onStop) throws InterruptedException {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      onStop.run();
      stopped.countDown();
    }, "relay-shutdown"));
    stopped.await();
  }

  @Override
  public void close() {
    registry.close();
  }
}
