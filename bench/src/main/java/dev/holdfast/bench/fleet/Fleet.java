package dev.holdfast.bench.fleet;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.RelayMessage;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A fleet on this machine, from nothing: a recording Twilio-compatible SMS provider, a provisioning
 * data directory wired to it, broker certificates from the fleet CA, Mosquitto with the shipped
 * configuration, {@code serve} with its MQTT responder, and agents enrolled with one-time tokens.
 * Everything is a real process or a real server on loopback; {@link #close()} stops it all.
 */
public final class Fleet implements AutoCloseable {
  public static final String FROM = "+15550000000";
  /** The fleet's one operator, who may read every device's state and events. */
  public static final String OPERATOR = "watch";
  /** An operator with role admin, whose files are beside {@link #OPERATOR}'s: for commands through the service. */
  public static final String ADMIN = "ops";
  /**
   * A profile whose certificates live {@link #BRIEF_LIFETIME}: a device enrolled with it and kept
   * stopped that long has expired, as one offline through its certificate's end.
   */
  public static final String BRIEF = "brief";
  public static final Duration BRIEF_LIFETIME = Duration.ofSeconds(15);

  private final Path dir;
  private final FakeSmsProvider sms;
  private final ProvisioningProcess provisioning;
  private final Mosquitto broker;
  private final List<AgentProcess> agents = new CopyOnWriteArrayList<>(); // agents may be made in parallel
  private final Deque<String> tokens = new ArrayDeque<>();

  private Fleet(Path dir, FakeSmsProvider sms, ProvisioningProcess provisioning, Mosquitto broker) {
    this.dir = dir;
    this.sms = sms;
    this.provisioning = provisioning;
    this.broker = broker;
  }

  /** Builds and starts the fleet side in {@code dir} with {@code tokenCount} enrollment tokens ready. */
  public static Fleet start(Path dir, int tokenCount) throws IOException, InterruptedException {
    SecureRandom random = new SecureRandom();
    String sid = "AC" + HexFormat.of().formatHex(random.generateSeed(16));
    String authToken = HexFormat.of().formatHex(random.generateSeed(16));
    FakeSmsProvider sms = new FakeSmsProvider(sid, authToken);
    Path brokerDir = dir.resolve("broker-files");
    Files.createDirectories(brokerDir);
    ProvisioningProcess provisioning = ProvisioningProcess.init(dir.resolve("provisioning"), List.of(
        "relay.upstream.kind=twilio", "relay.upstream.base-url=" + sms.baseUrl(), "relay.upstream.account-sid=" + sid,
        "relay.upstream.from=" + FROM, "ca.crl-path=" + brokerDir.resolve("crl.pem"),
        "broker.acl-path=" + brokerDir.resolve("holdfast.acl"), "broker.pid-file=" + dir.resolve("mosquitto.pid"),
        "profile." + BRIEF + ".scopes=messages:send,events:publish",
        "profile." + BRIEF + ".cert-lifetime=" + BRIEF_LIFETIME.toSeconds() + "s"));
    Mosquitto broker = null;
    try {
      provisioning.run(authToken, "relay", "set-auth-token");
      provisioning.check("broker", "certs", "--out", brokerDir.toString(), "--name", "127.0.0.1,localhost",
          "--no-reload");
      broker = new Mosquitto(new BrokerFiles(brokerDir.resolve("ca-chain.pem"), brokerDir.resolve("server.pem"),
          brokerDir.resolve("server.key"), brokerDir.resolve("crl.pem"), brokerDir.resolve("holdfast.acl")),
          dir.resolve("broker")).withPersistence().start();
      Files.writeString(dir.resolve("mosquitto.pid"), Long.toString(broker.pid()));
      Fleet fleet = new Fleet(dir, sms, provisioning, broker);
      fleet.tokens.addAll(fleet.newTokens(tokenCount));
      provisioning.check("operators", "add", OPERATOR, "--out", fleet.operatorDir().toString());
      provisioning.check("operators", "add", ADMIN, "--role", "admin", "--out", fleet.operatorDir().toString());
      fleet.startServe(List.of());
      return fleet;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      if (broker != null) {
        broker.close();
      }
      provisioning.close();
      sms.close();
      throw e;
    }
  }

  /** Creates {@code count} one-time tokens (while {@code serve} is not holding the data directory). */
  private List<String> newTokens(int count) throws IOException, InterruptedException {
    String json = provisioning.check("tokens", "create", "--count", Integer.toString(count), "--profile", "default",
        "--json");
    List<String> out = new ArrayList<>();
    try {
      for (Object o : (List<?>) JsonParser.parse(json.strip())) {
        out.add((String) ((Map<?, ?>) o).get("token"));
      }
    } catch (JsonParser.JsonException e) {
      throw new IllegalStateException("tokens create --json printed no JSON: " + e.getMessage(), e);
    }
    return out;
  }

  /** The next unused token from the batch made at start. */
  public String token() {
    String t = tokens.poll();
    if (t == null) {
      throw new IllegalStateException("no enrollment tokens left; start the fleet with more");
    }
    return t;
  }

  /**
   * A new agent home (vault, key, configuration pointing at this fleet's relay and broker), not yet
   * enrolled and not running.
   */
  public AgentProcess newAgent(String name, List<String> extraSettings) throws IOException {
    return newAgent(name, extraSettings, List.of());
  }

  /** A new agent home whose {@code run} starts under {@code wrapper} (see {@link AgentProcess#create}). */
  public AgentProcess newAgent(String name, List<String> extraSettings, List<String> wrapper) throws IOException {
    List<String> settings = new ArrayList<>(List.of("sms.provider = relay", "sms.relay.url = " + provisioning.apiUrl(),
        "mqtt.broker = " + broker.uri(), "provisioning.url = " + provisioning.apiUrl()));
    settings.addAll(extraSettings);
    AgentProcess agent = AgentProcess.create(dir.resolve("agents").resolve(name), settings, wrapper);
    agents.add(agent);
    return agent;
  }

  /** Enrolls {@code agent} with {@code token} over HTTPS; returns what the command printed and returned. */
  public AgentProcess.Result enroll(AgentProcess agent, String token) throws IOException, InterruptedException {
    return agent.run("enroll", "--token", token, "--server", provisioning.apiUrl(), "--fleet-root",
        provisioning.fleetRoot().toString());
  }

  /**
   * The network goes away: {@code serve} (the relay and the MQTT responder) gets SIGTERM and the
   * broker stops. The SMS provider stays: it stands for the world outside the fleet.
   */
  public void stopNetwork() throws InterruptedException {
    provisioning.stopServe();
    broker.stop();
  }

  /** The network returns: the broker, then {@code serve}, on the ports they had before. */
  public void startNetwork() throws IOException, InterruptedException {
    startBroker();
    startServe(List.of());
  }

  /**
   * {@code serve} stopped (SIGTERM, if it still runs) and started again on the same ports with
   * {@code jvmOptions}, such as the crash harness's {@code -Dholdfast.test.halt-after-step=STEP}.
   */
  public void restartServe(List<String> jvmOptions) throws IOException, InterruptedException {
    provisioning.stopServe();
    startServe(jvmOptions);
  }

  private void startServe(List<String> jvmOptions) throws IOException, InterruptedException {
    provisioning.startServe(jvmOptions, List.of("--mqtt", broker.uri()));
  }

  /**
   * Runs a fleet command as the admin operator through the running service's admin API, as from an
   * operator's own machine: only the operator's files and the service's URL.
   */
  public ProvisioningProcess.Result asAdmin(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--service", provisioning.adminUrl(), "--operator", operatorDir().resolve(ADMIN).toString()));
    return provisioning.runElsewhere(all.toArray(String[]::new));
  }

  /** What the relay answers an SMS sent with {@code set}'s API key: 201, or 401 once the key is revoked. */
  public int relayStatus(CredentialSet set) throws Exception {
    HttpClient http = HttpClient.newBuilder()
        .sslContext(TlsContexts.trustingOnly(set.fleetRoot(), new SecureRandom())).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(provisioning.apiUrl() + "/v1/messages"))
        .header("Authorization", "Bearer " + new String(set.apiKey().bytes(), StandardCharsets.US_ASCII))
        .header("Idempotency-Key", UUID.randomUUID().toString()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new RelayMessage("+15551230000", "key check").toJson()))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Where the operators' certificates, keys and the fleet root are. */
  public Path operatorDir() {
    return dir.resolve("operator");
  }

  /**
   * An MQTT v5 client connected as the fleet's operator (read-only: state and events), with a
   * persistent session: events published while it is away wait for it on the broker.
   */
  public MqttTestClient operator() throws MqttException, IOException, GeneralSecurityException {
    Path files = operatorDir();
    List<X509Certificate> chain = Pem.certificates(Files.readString(files.resolve(OPERATOR + ".pem")));
    X509Certificate root = Pem.certificates(Files.readString(files.resolve("fleet-root.pem"))).get(0);
    byte[] der = Pem.decodeAll(Files.readString(files.resolve(OPERATOR + ".key")), "PRIVATE KEY").get(0);
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    SSLSocketFactory tls = ServiceTls.context(new ServerCredentials(key, List.of(chain.get(0), chain.get(1), root)),
        root, new SecureRandom()).getSocketFactory();
    MqttConnectionOptions options = Mqtt.options(tls);
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3600L);
    return MqttTestClient.connect(broker.uri(), "holdfast.operator." + OPERATOR, options);
  }

  /** Kills the broker with SIGKILL, after it saved its sessions (as its periodic autosave would). */
  public void killBroker() {
    broker.savePersistence();
    broker.kill();
  }

  /** Starts the broker again on the same port. */
  public void startBroker() throws IOException {
    broker.restart();
    Files.writeString(dir.resolve("mosquitto.pid"), Long.toString(broker.pid()));
  }

  public FakeSmsProvider sms() {
    return sms;
  }

  public ProvisioningProcess provisioning() {
    return provisioning;
  }

  public Mosquitto broker() {
    return broker;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    agents.forEach(AgentProcess::close);
    provisioning.close();
    broker.close();
    sms.close();
  }
}
