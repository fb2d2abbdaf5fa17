package dev.holdfast.provisioning.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.api.RequestBodies;
import dev.holdfast.provisioning.credentials.OperatorCredentials;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.tinylog.Logger;

/**
 * {@code POST /v1/admin/run}: an operator's command, run in this process on the service's open
 * runtime. Before anything else, on every request (not only at the handshake, so {@code operators
 * remove} takes effect at once), the client certificate must be an operator's the registry holds,
 * neither revoked nor expired. Then {@link AdminCommands} decides and runs. At most {@link
 * #CONCURRENT} commands at once (503 beyond, with Retry-After), bodies of at most {@link #MAX_BODY}.
 */
final class AdminApi implements HttpHandler {
  static final String PATH = "/v1/admin/run";
  static final int CONCURRENT = 4;
  static final int MAX_BODY = 256 * 1024;
  static final int RETRY_AFTER_SECONDS = 2;

  private final OperatorCredentials operators;
  private final AdminCommands commands;
  private final Semaphore slots = new Semaphore(CONCURRENT);

  AdminApi(OperatorCredentials operators, AdminCommands commands) {
    this.operators = operators;
    this.commands = commands;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod()) || !PATH.equals(exchange.getRequestURI().getPath())) {
        RequestBodies.discardRest(exchange);
        send(exchange, AdminCommands.Answer.refused(404, ExitCode.USAGE, "the admin API is POST " + PATH));
        return;
      }
      Optional<X509Certificate> cert = ApiServer.peerCertificate(exchange);
      Optional<CertificateRecord> operator;
      try {
        operator = cert.isEmpty() ? Optional.empty() : operators.active(cert.get());
      } catch (RegistryException e) {
        Logger.error("admin API: the registry could not be read: {}", e.getMessage());
        RequestBodies.discardRest(exchange);
        send(exchange, AdminCommands.Answer.refused(500, ExitCode.IO_ERROR, "the service could not read its "
            + "registry; see its log"));
        return;
      }
      if (operator.isEmpty()) {
        RequestBodies.discardRest(exchange);
        Logger.warn("admin API: refused a client certificate ({}) that is no active operator's",
            cert.map(c -> c.getSubjectX500Principal().getName()).orElse("none"));
        send(exchange, AdminCommands.Answer.refused(401, ExitCode.NO_PERMISSION, "this operator certificate is "
            + "not (or no longer) an active operator's in the registry: removed, expired or unknown; ask an admin "
            + "for a new one ('operators add NAME --role ROLE --out DIR')"));
        return;
      }
      if (!slots.tryAcquire()) {
        RequestBodies.discardRest(exchange);
        exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        send(exchange, AdminCommands.Answer.refused(503, ExitCode.TEMP_FAIL, "the service runs " + CONCURRENT
            + " operators' commands already; try again in " + RETRY_AFTER_SECONDS + " s"));
        return;
      }
      try {
        send(exchange, run(exchange, operator.get()));
      } finally {
        slots.release();
      }
    } catch (RuntimeException e) {
      Logger.error("admin API: {}", e.toString());
    }
  }

  private AdminCommands.Answer run(HttpExchange exchange, CertificateRecord operator) throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      exchange.getResponseHeaders().set("Connection", "close");
      return AdminCommands.Answer.refused(413, ExitCode.USAGE, "the request is larger than " + MAX_BODY + " bytes");
    }
    List<String> args = new ArrayList<>();
    byte[] input;
    try {
      Map<String, Object> request = JsonParser.parseObject(body);
      if (!(request.get("args") instanceof List<?> list)) {
        return AdminCommands.Answer.refused(400, ExitCode.USAGE, "the request needs \"args\": [...]");
      }
      list.forEach(a -> args.add(String.valueOf(a)));
      input = request.get("input") == null ? new byte[0] : Base64.getDecoder().decode(request.get("input").toString());
    } catch (JsonParser.JsonException | IllegalArgumentException e) {
      return AdminCommands.Answer.refused(400, ExitCode.USAGE, "the request is not {\"args\": [...], \"input\": "
          + "base64}: " + e.getMessage());
    }
    return commands.run(OperatorCredentials.name(operator), OperatorCredentials.role(operator), args, input);
  }

  private static void send(HttpExchange exchange, AdminCommands.Answer answer) throws IOException {
    byte[] bytes = Json.write(answer.json()).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
