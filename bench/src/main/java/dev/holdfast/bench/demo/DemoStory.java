package dev.holdfast.bench.demo;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.bench.fleet.FakeSmsProvider;
import dev.holdfast.bench.fleet.Fleet;
import dev.holdfast.bench.fleet.ProvisioningProcess;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.DeviceIds;
import dev.holdfast.protocol.messages.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The eight steps of the demo, each checked: a fleet from nothing, three devices enrolled, SMS through
 * the relay, the network gone while the devices keep accepting messages, one agent killed with
 * kill -9 and restarted, the network back with every message delivered once, in order; the whole
 * fleet's certificates and API keys rotated by an operator through the running service (the old
 * key refused, messages flowing under the new ones), and one device revoked (its session cut, its
 * reconnects refused).
 */
public final class DemoStory implements AutoCloseable {
  static final String CONTROL_ROOM = "+15550199999";
  private static final Pattern DEVICE_ID = DeviceIds.ASSIGNED;
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  /** Short backoffs so the demo's recovery takes seconds, not the production minutes. */
  private static final List<String> AGENT_SETTINGS = List.of("outbox.retry.base = 200ms", "outbox.retry.cap = 2s",
      "mqtt.reconnect.base = 200ms", "mqtt.reconnect.cap = 2s");

  private final Path dir;
  private final Narrator say;
  private final int outageMessages;
  private final Ledger ledger = new Ledger();
  private final List<Device> devices = new ArrayList<>();
  private volatile Fleet fleet;

  /** A story kept in {@code dir}, printed to {@code say}, with {@code outageMessages} per device during the outage. */
  DemoStory(Path dir, Narrator say, int outageMessages) {
    this.dir = dir;
    this.say = say;
    this.outageMessages = outageMessages;
  }

  /** Body of one step; any exception fails the step with its message. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /** Tells the whole story; returns only when every step's outcome was checked. */
  void tell() throws DemoFailure {
    step("1 (fleet)", this::initialise);
    step("2 (enrollment)", this::enroll);
    step("3 (SMS through the relay)", this::firstSms);
    step("4 (network gone)", this::outage);
    step("5 (kill -9)", this::crash);
    step("6 (network back)", this::recovery);
    step("7 (rotate the fleet)", this::rotateFleet);
    step("8 (revoke a device)", this::revokeOne);
  }

  private void step(String name, Step body) throws DemoFailure {
    try {
      body.run();
    } catch (DemoFailure e) {
      throw e;
    } catch (Exception e) {
      throw new DemoFailure(name, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static void check(boolean ok, String step, String reason) throws DemoFailure {
    if (!ok) {
      throw new DemoFailure(step, reason);
    }
  }

  private void initialise() throws Exception {
    fleet = Fleet.start(dir.resolve("fleet"), 3);
    check(fleet.broker().isRunning() && fleet.provisioning().isServing(), "1 (fleet)", "the broker or serve is not up");
    say.say("fleet initialised (holdfast-provisioning init): CA, registry, 3 one-time enrollment tokens");
    say.say("relay upstream: the recording SMS provider at " + fleet.sms().baseUrl());
    say.say("Mosquitto (shipped holdfast.conf) on " + fleet.broker().uri() + "; serve (enroll API + relay) on "
        + fleet.provisioning().apiUrl());
  }

  private void enroll() throws Exception {
    List<String> names = List.of("device-1", "device-2", "device-3");
    List<AgentProcess> agents = Parallel.map(names, n -> fleet.newAgent(n, AGENT_SETTINGS));
    List<String> tokens = names.stream().map(n -> fleet.token()).toList();
    List<Integer> order = List.of(0, 1, 2);
    List<String> ids = Parallel.map(order, i -> deviceId(fleet.enroll(agents.get(i), tokens.get(i))));
    check(ids.stream().distinct().count() == 3, "2 (enrollment)", "device ids are not distinct: " + ids);
    for (int i = 0; i < 3; i++) {
      devices.add(new Device(names.get(i), agents.get(i), ids.get(i), "+1555010000" + (i + 1)));
    }
    say.say("3 devices enrolled at the bench with one-time tokens over HTTPS: " + String.join(", ", ids));
    Parallel.map(devices, d -> {
      d.agent().start();
      return d;
    });
    say.say("3 agents running (holdfast-agent run), each with its own vault: pids "
        + devices.stream().map(d -> Long.toString(d.agent().pid())).collect(Collectors.joining(", ")));
  }

  private static String deviceId(AgentProcess.Result enrolled) {
    Matcher m = DEVICE_ID.matcher(enrolled.out());
    if (enrolled.code() != 0 || !m.find()) {
      throw new IllegalStateException("holdfast-agent enroll exited " + enrolled.code() + ": "
          + enrolled.out().strip());
    }
    return m.group();
  }

  private void firstSms() throws Exception {
    Parallel.map(devices, d -> {
      String body = Ledger.body(d.id(), 1, "gate opened");
      Path file = d.agent().home().resolve("sms-1.txt");
      Files.writeString(file, body);
      AgentProcess.Result r = d.agent().run("send", "sms", "--to", d.number(), "--body-file", file.toString());
      if (r.code() != 0) {
        throw new IllegalStateException(d.name() + ": send sms exited " + r.code() + ": " + r.out().strip());
      }
      ledger.sent(d.id(), d.number(), body);
      return r;
    });
    say.say("each device queued one SMS (holdfast-agent send sms); waiting for the provider");
    await("3 (SMS through the relay)", () -> fleet.sms().received().size() >= 3, "3 SMS at the provider");
    for (FakeSmsProvider.Sms sms : fleet.sms().received()) {
      say.say("provider received: to " + sms.to() + " from " + sms.from() + ": \"" + sms.body() + "\"");
    }
    List<String> diff = ledger.differences(fleet.sms().received());
    check(diff.isEmpty(), "3 (SMS through the relay)", String.join("; ", diff));
    operatorSeesAllOnline("3 (SMS through the relay)", "");
  }

  /** The operator's certificate reads every device's retained state: online, with an empty outbox. */
  private void operatorSeesAllOnline(String step, String again) throws Exception {
    try (OperatorView view = OperatorView.connect(fleet)) {
      await(step, () -> view.allOnline(devices, 0), "the operator to see every device online with an empty outbox");
    }
    say.say("operator '" + Fleet.OPERATOR + "' (read-only MQTT certificate) sees all 3 devices" + again
        + " online, outbox_depth 0, on " + Topics.allStates());
  }

  private void outage() throws Exception {
    fleet.stopNetwork();
    say.say("the network is gone: Mosquitto and serve (the relay) stopped");
    for (Device d : devices) {
      for (int n = 2; n < 2 + outageMessages; n++) {
        String to = n % 2 == 0 ? d.number() : CONTROL_ROOM;
        String body = Ledger.body(d.id(), n, n % 2 == 0 ? "door " + n + " opened" : "alarm " + n);
        check(d.queueSms(to, body), "4 (network gone)", d.name() + " did not accept message #" + n);
        ledger.sent(d.id(), to, body);
      }
    }
    say.say("each device accepted " + outageMessages + " more SMS into its outbox (local API, durable before the answer)");
    List<Map<String, Object>> statuses = Parallel.map(devices, Device::statusJson);
    List<String> depths = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      long queued = Device.queued(statuses.get(i));
      check(queued == outageMessages, "4 (network gone)",
          devices.get(i).name() + " has " + queued + " queued, expected " + outageMessages);
      depths.add(devices.get(i).id() + " " + queued);
    }
    say.say("outbox depth (holdfast-agent status --json): " + String.join(", ", depths) + " queued");
    check(fleet.sms().received().size() == 3, "4 (network gone)",
        "the provider received " + fleet.sms().received().size() + " SMS while the relay was down");
  }

  private void crash() throws Exception {
    Device victim = devices.get(1);
    long pid = victim.agent().pid();
    victim.agent().kill9();
    say.say("kill -9 " + pid + " (" + victim.id() + ") with " + outageMessages + " SMS in its outbox");
    Map<String, Object> offline = victim.statusJson();
    check(Boolean.FALSE.equals(offline.get("agent_running")) && Device.queued(offline) == outageMessages,
        "5 (kill -9)", "after kill -9 the vault shows " + offline.get("queued") + " queued, expected " + outageMessages);
    say.say("its vault, read with the agent down: " + Device.queued(offline) + " queued, nothing lost");
    victim.agent().start();
    int n = 2 + outageMessages;
    String body = Ledger.body(victim.id(), n, "back after a crash");
    check(victim.queueSms(CONTROL_ROOM, body), "5 (kill -9)", "the restarted agent did not accept a message");
    ledger.sent(victim.id(), CONTROL_ROOM, body);
    Map<String, Object> after = victim.statusJson();
    check(Boolean.TRUE.equals(after.get("agent_running")) && Device.queued(after) == outageMessages + 1,
        "5 (kill -9)", "the restarted agent shows " + after.get("queued") + " queued, expected " + (outageMessages + 1));
    say.say("restarted as pid " + victim.agent().pid() + "; it accepted one more: " + Device.queued(after) + " queued");
  }

  private void recovery() throws Exception {
    fleet.startNetwork();
    say.say("the network is back: Mosquitto on port " + fleet.broker().port() + " and serve on "
        + fleet.provisioning().apiUrl() + " again");
    int total = ledger.total();
    await("6 (network back)", () -> devices.stream().allMatch(d -> d.queuedNow().orElse(-1L) == 0),
        "every outbox to drain");
    List<FakeSmsProvider.Sms> received = fleet.sms().received();
    say.say("all outboxes empty; the provider has " + received.size() + " SMS, " + total + " were sent");
    List<String> diff = ledger.differences(received);
    check(diff.isEmpty(), "6 (network back)", String.join("; ", diff));
    check(received.size() == total, "6 (network back)", received.size() + " arrived for " + total + " sent");
    for (Map.Entry<String, List<String>> e : Ledger.arrivals(received).entrySet()) {
      say.plain("          " + e.getKey() + ": " + e.getValue().size() + " in order ("
          + e.getValue().stream().map(b -> b.substring(b.indexOf('#'), b.indexOf(':'))).collect(Collectors.joining(" "))
          + ")");
    }
    List<Map<String, Object>> statuses = Parallel.map(devices, Device::statusJson);
    for (Map<String, Object> s : statuses) {
      check(Device.queued(s) == 0 && ((Number) s.get("dead")).longValue() == 0, "6 (network back)",
          "an outbox still holds " + s.get("queued") + " queued and " + s.get("dead") + " dead");
    }
    operatorSeesAllOnline("6 (network back)", " back");
    say.say(total + " of " + total + " SMS delivered exactly once, in order per device and destination ("
        + ledger.destinations() + " destinations); 0 queued, 0 dead (status --json)");
  }

  @SuppressWarnings("unchecked")
  private void rotateFleet() throws Exception {
    String step = "7 (rotate the fleet)";
    Device first = devices.get(0);
    first.agent().stop(); // its vault, to keep its API key for the check below
    CredentialSet before = first.agent().identity(IdentityStore.CURRENT);
    first.agent().start();
    await(step, () -> devices.stream().allMatch(Device::connected), "every device to be connected");
    ProvisioningProcess.Result r = fleet.asAdmin("fleet", "rotate", "--all", "--json");
    check(r.code() == 0, step, "fleet rotate exited " + r.code() + ": " + r.err().strip());
    List<Map<String, Object>> rows = (List<Map<String, Object>>) JsonParser.parse(r.out().strip());
    check(rows.size() == 3 && rows.stream().allMatch(row -> "confirmed".equals(row.get("result"))), step,
        "not every device confirmed: " + rows);
    say.say("operator '" + Fleet.ADMIN + "' rotated the fleet through the running service (fleet rotate --all):");
    for (Map<String, Object> row : rows) {
      say.plain("          " + row.get("device") + ": new certificate " + shortHex(row.get("new_serial"))
          + ", new API key " + row.get("new_api_key") + " (" + row.get("millis") + " ms)");
    }
    int old = fleet.relayStatus(before);
    check(old == 401, step, "the relay answered " + old + " to " + first.id() + "'s old API key");
    say.say(first.id() + "'s old API key (" + before.apiKeyId() + ") now gets 401 from the relay");
    int n = 3 + outageMessages;
    Parallel.map(devices, d -> {
      String body = Ledger.body(d.id(), n, "after the rotation");
      if (!d.queueSms(d.number(), body)) {
        throw new IllegalStateException(d.name() + " did not accept a message after the rotation");
      }
      ledger.sent(d.id(), d.number(), body);
      return d;
    });
    await(step, () -> fleet.sms().received().size() == ledger.total(), "the SMS sent after the rotation");
    List<String> diff = ledger.differences(fleet.sms().received());
    check(diff.isEmpty(), step, String.join("; ", diff));
    say.say("one more SMS per device arrived, sent with the new keys");
  }

  private static String shortHex(Object hex) {
    String s = String.valueOf(hex);
    return s.length() > 12 ? s.substring(0, 12) + "…" : s;
  }

  private void revokeOne() throws Exception {
    String step = "8 (revoke a device)";
    Device victim = devices.get(2);
    long start = System.nanoTime();
    ProvisioningProcess.Result r = fleet.asAdmin("revoke", "--device", victim.id());
    check(r.code() == 0, step, "revoke exited " + r.code() + ": " + r.err().strip());
    await(step, () -> !victim.connected(), "its live session to be cut");
    long cut = (System.nanoTime() - start) / 1_000_000;
    say.say("operator '" + Fleet.ADMIN + "' revoked " + victim.id() + " (revoke --device): its live session was cut "
        + cut + " ms after the command");
    TimeUnit.SECONDS.sleep(3); // its agent retries every 2 s at most (mqtt.reconnect.cap)
    check(!victim.connected(), step, "the revoked device connected again");
    String shown = fleet.asAdmin("devices", "show", victim.id()).out();
    check(shown.contains("revoked"), step, "devices show does not say revoked: " + shown.strip());
    check(devices.get(0).connected() && devices.get(1).connected(), step, "another device lost its connection");
    say.say("its reconnects are refused by the broker; the other two stay connected");
  }

  private void await(String step, BooleanSupplier condition, String what) throws DemoFailure, InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new DemoFailure(step, "gave up waiting for " + what + " after " + PATIENCE.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  List<Device> devices() {
    return List.copyOf(devices);
  }

  Fleet fleet() {
    return fleet;
  }

  Path dir() {
    return dir;
  }

  Narrator narrator() {
    return say;
  }

  /** Stops every process the story started; safe to call twice and from a shutdown hook. */
  @Override
  public synchronized void close() {
    Fleet f = fleet;
    fleet = null;
    if (f != null) {
      f.close();
    }
  }
}
