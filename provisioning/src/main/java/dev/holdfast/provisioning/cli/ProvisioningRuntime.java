package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.config.ConfigException;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.broker.AclCheck;
import dev.holdfast.provisioning.broker.AclFiles;
import dev.holdfast.provisioning.broker.AclText;
import dev.holdfast.provisioning.broker.BatchedSync;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.broker.CrlFiles;
import dev.holdfast.provisioning.broker.CrlPublisher;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.DefaultCertificateAuthority;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.ca.Revocations;
import dev.holdfast.provisioning.credentials.CommandSigner;
import dev.holdfast.provisioning.credentials.OperatorCredentials;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.credentials.TakeoverCredentials;
import dev.holdfast.provisioning.enrollment.Enrollment;
import dev.holdfast.provisioning.service.ServiceConnection;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.rotation.AnswerSigner;
import dev.holdfast.provisioning.rotation.RotationService;
import dev.holdfast.provisioning.rotation.ServiceStep;
import dev.holdfast.provisioning.service.SessionTakeover;
import dev.holdfast.provisioning.tokens.TokenService;
import dev.holdfast.vault.KeySourceResolver;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.SecureFiles;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

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
  private FleetCa fleet;
  /** Set in the views {@link #actingFor} hands out: a command runs inside a running service. */
  private Optional<Optional<LiveBroker>> service = Optional.empty();
  /** The running service's own broker connection, once {@code serve} has made it. */
  private volatile Optional<LiveBroker> broker = Optional.empty();

  /**
   * The running service's connection to the broker, and the scheduler a command may wait on: what a
   * command run through the admin API sends device commands over, as the service itself (a second
   * connection under the service's client id would knock the first off).
   */
  record LiveBroker(String uri, ServiceConnection connection, ScheduledExecutorService scheduler) {}

  private ProvisioningRuntime(Path dir, ProvisioningConfig config, Registry registry, Clock clock, SecureRandom random,
      String actor) {
    this.dir = dir;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.random = random;
    this.actor = actor;
  }

  /**
   * This runtime (the same open registry, config, clock and randomness) acting for {@code actor}:
   * what a command run through the admin API works on. Closing it is the owner's job, not the view's.
   */
  ProvisioningRuntime actingFor(String actor) {
    ProvisioningRuntime view = new ProvisioningRuntime(dir, config, registry, clock, random, actor);
    view.fleet = fleet;
    view.service = Optional.of(broker);
    return view;
  }

  /** Called by {@code serve} once its broker connection is made. */
  void serviceBroker(LiveBroker live) {
    broker = Optional.of(live);
  }

  /**
   * Inside a running service (a command through the admin API): its broker connection, or empty when
   * it runs without one. Outside one (on the host, the service stopped): empty.
   */
  Optional<Optional<LiveBroker>> service() {
    return service;
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
      throws VaultException, ConfigException {
    ProvisioningConfig config = ProvisioningConfig.load(dir);
    SecureRandom random = systemRandom();
    Vault vault = Vault.open(dir.resolve(VAULT_FILE), resolveKey(env, keyFile, false), random);
    return new ProvisioningRuntime(dir, config, new MapDbRegistry(vault), systemClock(), random, operator());
  }

  /** What {@code init} created. */
  record Initialized(Path dir, Path root, Path chain, Path commandKey, String keyOrigin) {}

  /** Creates a data directory: vault, CA, peppers, config, public files. */
  static Initialized init(Path dir, Optional<Path> keyFile, Map<String, String> env, String fleetName,
      List<String> serverNames, Optional<Path> crlPath) throws VaultException, RegistryException, IOException,
      CliException {
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
      FleetCa.Initialized ca =
          ExitCodes.check(FleetCa.initialize(registry, fleetName, clock, random, operator()), ExitCodes::of);
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

  /** The fleet CA's material, loaded once; exit 66 when {@code init} was not run. */
  FleetCa fleet() throws RegistryException, CliException {
    if (fleet == null) {
      fleet = ExitCodes.check(FleetCa.load(registry, random), ExitCodes::of);
    }
    return fleet;
  }

  /** The CA, issuing inside the caller's registry transactions. */
  CertificateAuthority ca() throws RegistryException, CliException {
    return new DefaultCertificateAuthority(fleet(), config.ca(), clock);
  }

  /** Puts every CRL at {@code ca.crl-path} and then sends the broker SIGHUP. */
  CrlPublisher crlPublisher() throws RegistryException, CliException {
    return new CrlPublisher(config.ca().crlPath(), fleet().issuing(), clock, reloader()::hangup);
  }

  /**
   * Brings the broker up to date: files, one SIGHUP, then the open sessions of revoked devices
   * closed through the running service's broker (through the admin API) or {@code broker.mqtt-uri}
   * (without either they are left to the ACL's deny).
   */
  BrokerSync brokerSync() throws RegistryException, CliException {
    // inside a running service: the broker it was started with (--mqtt may differ from the file)
    Optional<String> live = service.flatMap(b -> b).map(LiveBroker::uri);
    return brokerSync(live.isPresent() ? live : config.broker().mqttUri());
  }

  /** {@link #brokerSync()} closing sessions through {@code uri} (empty: never connects to the broker). */
  BrokerSync brokerSync(Optional<String> uri) throws RegistryException, CliException {
    Optional<BrokerSync.SessionCutter> cutter = Optional.empty();
    if (uri.isPresent()) {
      cutter = Optional.of(new SessionTakeover(uri.get(), new TakeoverCredentials(registry, fleet(), clock, random),
          fleet().root(), random, actor));
    }
    return new BrokerSync(registry, reloader()::hangup, cutter, clock);
  }

  /**
   * Writes, from the registry as it is, what the configured broker reads: a fresh CRL at {@code
   * ca.crl-path} and the generated ACL at {@code broker.acl-path}; true when either is configured.
   */
  BrokerSync.Files brokerFiles() throws RegistryException, CliException {
    return brokerFiles(true);
  }

  /** {@link #brokerFiles()}, the ACL only {@code withAcl}: rotations revoke no device and no operator. */
  private BrokerSync.Files brokerFiles(boolean withAcl) throws RegistryException, CliException {
    CertificateAuthority ca = ca();
    X509Certificate issuing = fleet().issuing();
    Optional<Path> crl = config.ca().crlPath();
    Optional<Path> acl = config.broker().aclPath().filter(path -> withAcl);
    OperatorCredentials operators = operators();
    return () -> {
      if (crl.isPresent()) {
        CrlFiles.publish(crl.get(), registry.write(ca::crl), issuing);
      }
      if (acl.isPresent()) {
        AclFiles.write(acl.get(), aclText(operators));
      }
      return crl.isPresent() || acl.isPresent();
    };
  }

  /** TLS credentials of the API server, the broker and the service's MQTT client. */
  ServiceCredentials services() throws RegistryException, CliException {
    return new ServiceCredentials(registry, fleet(), config.ca(), clock, random);
  }

  OperatorCredentials operators() throws RegistryException, CliException {
    return new OperatorCredentials(registry, fleet(), ca(), clock, random);
  }

  CommandSigner commandSigner() {
    return new CommandSigner(registry, random);
  }

  /** Sends the broker SIGHUP (pid from {@code broker.pid-file}), as after every CRL rewrite. */
  BrokerReloader reloader() {
    return new BrokerReloader(config.broker().pidFile());
  }

  /** The generated ACL as the registry is now: the base, operators, revoked devices. */
  String aclText() throws RegistryException, CliException {
    return aclText(operators());
  }

  private String aclText(OperatorCredentials operators) throws RegistryException {
    return AclText.render(operators.activeNames(), registry.read(tx -> Revocations.deniedDevices(tx, clock.instant())));
  }

  Optional<Secret> upstreamToken() throws RegistryException {
    return registry.read(tx -> tx.secrets().find(UPSTREAM_TOKEN));
  }

  static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  ApiKeyService apiKeys() throws RegistryException {
    return ApiKeyService.open(registry, clock, random);
  }

  TokenService tokens() throws RegistryException {
    return TokenService.open(registry, clock, random);
  }

  Enrollment enrollment() throws RegistryException, CliException {
    return new Enrollment(registry, tokens(), ca(), fleet()::signEnrollResponse, apiKeys(), clock, random);
  }

  /**
   * Serves devices' renew and confirm; a revocation reaches the broker ({@link #brokerFiles}, then
   * SIGHUP) in rounds on {@code syncs} before the answer goes out.
   *
   * @param afterStep told each step of the service's side as it is passed (the crash harness's hook)
   */
  RotationService rotation(ScheduledExecutorService syncs, Consumer<ServiceStep> afterStep)
      throws RegistryException, CliException {
    BrokerSync.Files all = brokerFiles(true);
    BrokerSync.Files crl = brokerFiles(false);
    BrokerSync.Files hooked = () -> {
      // the ACL (read from every device and certificate) only when more than rotations is pending
      boolean wrote = (RotationService.onlyRotations(registry.read(tx -> tx.brokerReloads().pending())) ? crl : all)
          .write();
      afterStep.accept(ServiceStep.BROKER_FILES_WRITTEN);
      return wrote;
    };
    return new RotationService(registry, ca(), apiKeys(), AnswerSigner.of(fleet()),
        new BatchedSync(brokerSync(), hooked, syncs, System::nanoTime, BatchedSync.REST_FACTOR,
            RotationService.BROKER_CHANGE),
        config.rotation(), clock, random,
        afterStep);
  }

  void setUpstreamToken(Secret token) throws RegistryException {
    registry.write(tx -> {
      tx.secrets().put(UPSTREAM_TOKEN, token);
      return null;
    });
  }

  /** Blocks the calling thread until the JVM is asked to stop. */
  static void awaitShutdown(Runnable onStop) throws InterruptedException {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      onStop.run();
      stopped.countDown();
    }, "provisioning-shutdown"));
    stopped.await();
  }

  @Override
  public void close() {
    registry.close();
  }
}
