package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.ca.CaKeys;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line as a client of a running service: the command's own arguments go to {@code POST
 * /v1/admin/run} over mutual TLS with the operator's certificate, and its output and exit code come
 * back. A service that cannot be reached, or whose certificate does not chain to the operator's
 * fleet root, is exit 69.
 */
final class AdminClient {
  static final Duration CONNECT = Duration.ofSeconds(10);
  /** A revocation waits for the broker; nothing the API runs takes longer. */
  static final Duration ANSWER = Duration.ofMinutes(5);

  private AdminClient() {}

  /** Sends the command {@code main} was given to {@code service}; prints its output; returns its exit code. */
  static int send(String service, Optional<String> operator, Main main, CommandSpec command) throws Exception {
    URI endpoint = endpoint(service);
    String who = operator.orElseThrow(() -> ExitCodes.usage("--service needs --operator DIR/NAME (or "
        + DataDirOptions.OPERATOR_ENV + "): the files 'operators add NAME --out DIR' wrote"));
    String path = command.qualifiedName(" ").substring(command.root().name().length()).strip();
    checkLocalFiles(command, path);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("args", forwarded(main.args));
    if (CommandRoles.READS_INPUT.contains(path)) {
      request.put("input", Base64.getEncoder().encodeToString(main.in.readAllBytes()));
    }
    HttpClient http = HttpClient.newBuilder().sslContext(context(who)).connectTimeout(CONNECT).build();
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(HttpRequest.newBuilder(endpoint).timeout(ANSWER).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "cannot reach the admin API at " + service + " (" + e
          + "); is 'serve' running there with admin.listen, is the URL's host one of relay.server-names, and are "
          + who + ".pem and fleet-root.pem from this fleet?");
    }
    Map<String, Object> body;
    try {
      body = JsonParser.parseObject(answer.body());
    } catch (JsonParser.JsonException e) {
      throw new CliException(ExitCode.UNAVAILABLE, service + " answered HTTP " + answer.statusCode()
          + " without a command's result; is it the admin API (admin.listen), not the enroll/relay API?");
    }
    main.out.print(text(body.get("stdout")));
    main.err.print(text(body.get("stderr")));
    main.out.flush();
    main.err.flush();
    writeFiles(body.get("files"), command, path);
    return body.get("exit") instanceof Number n ? n.intValue() : ExitCode.UNAVAILABLE.code();
  }

  /** {@code service} with the API's path; exit 64 unless it is https://HOST:PORT. */
  static URI endpoint(String service) throws CliException {
    URI uri;
    try {
      uri = URI.create(service);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw ExitCodes.usage("--service must be https://HOST:PORT (admin.listen of the service, e.g. "
          + "https://127.0.0.1:8444), got '" + service + "'");
    }
    return uri.resolve("/v1/admin/run");
  }

  /** The arguments as typed, less {@code --service} and {@code --operator}, which are this side's. */
  static List<String> forwarded(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--service") || a.equals("--operator")) {
        i++;
      } else if (!a.startsWith("--service=") && !a.startsWith("--operator=")) {
        out.add(a);
      }
    }
    return out;
  }

  /** The TLS context of operator {@code dirName} (DIR/NAME): its key and certificate, the fleet root as the only trust. */
  static SSLContext context(String dirName) throws IOException, CliException {
    Path base = Path.of(dirName);
    Path dir = base.toAbsolutePath().getParent();
    String name = base.getFileName().toString();
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Path root = dir.resolve(dev.holdfast.provisioning.broker.OperatorFiles.FLEET_ROOT);
    for (Path p : List.of(cert, key, root)) {
      if (!Files.isRegularFile(p)) {
        throw new CliException(ExitCode.NO_INPUT, "no " + p + ": --operator DIR/NAME names the files "
            + "'operators add NAME --out DIR' wrote (NAME.pem, NAME.key, fleet-root.pem)");
      }
    }
    List<X509Certificate> chain = certificates(cert);
    List<X509Certificate> roots = certificates(root);
    if (chain.size() < 2 || roots.isEmpty()) {
      throw new CliException(ExitCode.DATA_ERROR, cert + " must hold the operator's certificate and the issuing CA, "
          + root + " the fleet root; write them again with 'operators add'");
    }
    List<byte[]> pkcs8 = Pem.decodeAll(Files.readString(key, StandardCharsets.US_ASCII), "PRIVATE KEY");
    PrivateKey k;
    try {
      k = CaKeys.fromSecret(Secret.wrap(pkcs8.isEmpty() ? new byte[0] : pkcs8.get(0)));
    } catch (IllegalStateException e) {
      throw new CliException(ExitCode.DATA_ERROR, key + " holds no EC private key (PKCS#8 PEM)");
    }
    return ServiceTls.context(new ServerCredentials(k, chain), roots.get(0), ProvisioningRuntime.systemRandom());
  }

  private static List<X509Certificate> certificates(Path file) throws IOException, CliException {
    try {
      return Pem.certificates(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new CliException(ExitCode.DATA_ERROR, file + " holds a certificate that does not parse");
    }
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  /**
   * Refuses, before the service issues anything, a command whose files could not be written here:
   * {@code operators add} never writes over an existing key, and a certificate issued for files
   * that then cannot be written would be left in the registry, unused.
   */
  private static void checkLocalFiles(CommandSpec command, String path) throws IOException {
    if ("operators add".equals(path)) {
      Path dir = command.findOption(CommandRoles.OUT_DIRECTORY.get(path)).getValue();
      String name = command.positionalParameters().get(0).getValue();
      dev.holdfast.provisioning.broker.OperatorFiles.prepare(dir, name);
    }
  }

  /** Files the command wrote on the service host, into the directory this side's option named. */
  private static void writeFiles(Object files, CommandSpec command, String path) throws IOException {
    String option = CommandRoles.OUT_DIRECTORY.get(path);
    if (!(files instanceof Map<?, ?> map) || option == null) {
      return;
    }
    Path dir = command.findOption(option).getValue();
    if (!Files.isDirectory(dir)) {
      SecureFiles.createPrivateDirectories(dir);
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Path target = dir.resolve(Path.of(e.getKey().toString()).getFileName().toString());
      byte[] bytes = Base64.getDecoder().decode(e.getValue().toString());
      boolean secret = target.getFileName().toString().endsWith(".key");
      // A key is never written over an existing one (as 'operators add' on the host); the rest is public.
      SecureFiles.writeAtomically(target, bytes, !secret,
          PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }
}
