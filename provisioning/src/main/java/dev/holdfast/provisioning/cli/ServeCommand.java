package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.broker.BrokerSettings;
import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the provisioning service: the HTTPS API (POST /v1/enroll, and POST /v1/messages when an",
        "SMS upstream is configured), the MQTT responder when a broker is configured, and the CRL refresher.",
        "Also the admin API (admin.listen, default " + ProvisioningConfig.DEFAULT_ADMIN_LISTEN + "): operators run",
        "fleet commands through it with --service and --operator, by their role, while serve holds the data",
        "directory (other commands on the data directory exit 75, in use)."})
final class ServeCommand extends RuntimeCommand {
  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Default: relay.listen from the config file.")
  String listen;

  @Option(names = "--mqtt", paramLabel = "ssl://HOST:PORT",
      description = "The fleet broker. Default: broker.mqtt-uri from the config file; none: no MQTT responder.")
  String mqtt;

  @Option(names = "--admin-listen", paramLabel = "HOST:PORT",
      description = "The admin API's address. Default: admin.listen from the config file; empty: no admin API.")
  String adminListen;

  @Option(names = "--insecure-http",
      description = "Serve plain HTTP on a loopback address (development only; tokens and keys travel in clear).")
  boolean insecureHttp;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    InetSocketAddress address = RelayCommand.parse(listen != null ? listen : rt.config.relayListen());
    if (insecureHttp && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
      throw ExitCodes.usage("--insecure-http is only allowed on a loopback address (127.0.0.1:PORT); "
          + "drop it to serve HTTPS on " + address.getHostString());
    }
    Optional<String> broker = mqtt != null ? Optional.of(mqtt) : rt.config.broker().mqttUri();
    if (broker.isPresent()) {
      try {
        BrokerSettings.checkUri(broker.get());
      } catch (IllegalArgumentException e) {
        throw ExitCodes.usage("--mqtt: " + e.getMessage());
      }
    }
    Optional<String> admin = adminListen != null ? Optional.of(adminListen.trim()).filter(a -> !a.isEmpty())
        : rt.config.adminListen();
    Optional<InetSocketAddress> adminAddress = admin.isPresent() ? Optional.of(RelayCommand.parse(admin.get()))
        : Optional.empty();
    Serving.Running running = Serving.start(rt, address, insecureHttp, false, broker);
    Optional<ApiServer> adminApi;
    try {
      adminApi = adminAddress.isPresent() ? Optional.of(Serving.admin(rt, adminAddress.get())) : Optional.empty();
    } catch (Exception e) {
      running.stop();
      throw e;
    }
    ProvisioningRuntime.awaitShutdown(() -> {
      adminApi.ifPresent(ApiServer::close);
      running.stop();
    });
    return 0;
  }
}
