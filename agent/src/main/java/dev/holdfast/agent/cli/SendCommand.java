package dev.holdfast.agent.cli;

import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.common.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code holdfast-agent send sms|webhook|event}: enqueue a message; prints its id once it is durable. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {"Queues a message for delivery; prints the record id once it is safely on disk.",
        "Talks to the running agent over its socket; with no agent running, writes to the vault directly."},
    subcommands = {SendCommand.Sms.class, SendCommand.Webhook.class, SendCommand.Event.class})
final class SendCommand implements Runnable {
  /** More than any body limit; stops a mistaken pipe from filling memory. */
  static final int READ_LIMIT = 16 << 20;

  @ParentCommand AgentCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to send: 'send sms', 'send webhook' or 'send event' (see --help)");
  }

  /** Options every send takes. */
  static final class Common {
    @Option(names = "--body-file", required = true, paramLabel = "FILE|-",
        description = "The message body; '-' reads standard input.")
    String bodyFile;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
        description = "Sent as Idempotency-Key with every attempt (default: a new random key).")
    String idempotencyKey;

    @Option(names = "--ttl", paramLabel = "DURATION",
        description = "Give up (dead-letter) after this long, e.g. 30m, 24h (default: outbox.default-ttl).")
    String ttl;

    /**
     * The message to queue, with this command's body, key and time to live. An SMS loses one
     * trailing newline (LF or CRLF) of its body, as {@code git commit -F} does, so {@code echo 'Door
     * opened' | send sms} does not text "Door opened\n"; webhook and event bodies stay byte-exact.
     */
    NewMessage message(Channel channel, String destination, String contentType, AgentContext ctx)
        throws IOException, CliException {
      Optional<Duration> life = Optional.empty();
      if (ttl != null) {
        try {
          life = Optional.of(Durations.parse(ttl));
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCode.USAGE, "--ttl = '" + ttl + "' is not allowed; it must be " + e.getMessage());
        }
      }
      byte[] body = channel == Channel.SMS ? withoutTrailingNewline(read(ctx)) : read(ctx);
      return new NewMessage(channel, destination, body, contentType, Optional.ofNullable(idempotencyKey), life);
    }

    private byte[] read(AgentContext ctx) throws IOException, CliException {
      try (InputStream in = bodyFile.equals("-") ? ctx.in() : Files.newInputStream(Path.of(bodyFile))) {
        byte[] body = in.readNBytes(READ_LIMIT + 1);
        if (body.length > READ_LIMIT) {
          throw new CliException(ExitCode.DATA_ERROR, "the body is over " + READ_LIMIT + " bytes");
        }
        return body;
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCode.NO_INPUT, "body file " + bodyFile + " does not exist");
      }
    }
  }

  /** {@code body} without one trailing {@code \n} or {@code \r\n}. */
  static byte[] withoutTrailingNewline(byte[] body) {
    int end = body.length;
    if (end > 0 && body[end - 1] == '\n') {
      end--;
      if (end > 0 && body[end - 1] == '\r') {
        end--;
      }
    }
    return end == body.length ? body : java.util.Arrays.copyOf(body, end);
  }

  int send(NewMessage message) throws Exception {
    AgentContext ctx = root.context;
    try (OutboxAccess access = OutboxAccess.open(ctx, root.loadConfig())) {
      RecordId id = access.call(port -> port.send(message));
      ctx.out().println(id);
    }
    return 0;
  }

  @Command(name = "sms", mixinStandardHelpOptions = true,
      description = {"Queues an SMS.",
          "One trailing newline (\\n or \\r\\n, as echo adds) is stripped from the body;",
          "a second one, or any other whitespace, stays.",
          "Example: echo 'Door opened' | holdfast-agent send sms --to +15551234567 --body-file -"})
  static final class Sms implements Callable<Integer> {
    @ParentCommand SendCommand send;
    @Mixin Common common;

    @Option(names = "--to", required = true, paramLabel = "NUMBER", description = "E.164 number, e.g. +15551234567.")
    String to;

    @Override
    public Integer call() throws Exception {
      return send.send(common.message(Channel.SMS, to, NewMessage.SMS_CONTENT_TYPE, send.root.context));
    }
  }

  @Command(name = "webhook", mixinStandardHelpOptions = true,
      description = {"Queues an HTTP POST of the body to URL; the body is sent byte for byte.",
          "Example: holdfast-agent send webhook --url https://example.com/hook --body-file event.json"})
  static final class Webhook implements Callable<Integer> {
    @ParentCommand SendCommand send;
    @Mixin Common common;

    @Option(names = "--url", required = true, paramLabel = "URL", description = {"http:// or https:// URL; with webhook.allowed-urls set, one under its prefixes.",
        "Signed (webhook.signing-secret) over method, URL, idempotency key, time and body."})
    String url;

    @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "application/json",
        description = "Content-Type of the POST, printable ASCII without control characters (default: ${DEFAULT-VALUE}).")
    String contentType;

    @Override
    public Integer call() throws Exception {
      return send.send(common.message(Channel.WEBHOOK, url, contentType, send.root.context));
    }
  }

  @Command(name = "event", mixinStandardHelpOptions = true,
      description = {"Queues an event for the fleet, published (QoS 1) on this device's MQTT events topic",
          "holdfast/v1/devices/<id>/events once the agent is connected to the broker.",
          "The body is published byte for byte (a trailing newline included).",
          "Example: holdfast-agent send event --body-file reading.json"})
  static final class Event implements Callable<Integer> {
    @ParentCommand SendCommand send;
    @Mixin Common common;

    @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "application/json",
        description = "MQTT v5 content type of the event, printable ASCII without control characters (default: ${DEFAULT-VALUE}).")
    String contentType;

    @Override
    public Integer call() throws Exception {
      return send.send(common.message(Channel.MQTT, "events", contentType, send.root.context));
    }
  }
}
