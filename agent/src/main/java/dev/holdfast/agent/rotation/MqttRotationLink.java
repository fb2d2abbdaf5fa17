package dev.holdfast.agent.rotation;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.agent.link.MqttLink;
import dev.holdfast.agent.link.PublishResult;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.ProvRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.protocol.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Rotation over the agent's MQTT link: requests go to the device's {@code prov/req}, answers come
 * from its {@code prov/res} and are matched to the waiting request by the rotation's id; a new
 * identity is put on the link by reconnecting it with that set's certificate.
 */
public final class MqttRotationLink implements ProvisioningChannel, LinkControl {
  private final MqttLink link;
  private final String deviceId;
  private final SecureRandom random;
  private final Consumer<CredentialSet> onIdentity;
  private final Map<String, CompletableFuture<ProvAnswer>> waiting = new ConcurrentHashMap<>();

  /** @param onIdentity told the set the link presents from now on (the published state's expiries) */
  public MqttRotationLink(MqttLink link, SecureRandom random, Consumer<CredentialSet> onIdentity) {
    this.link = link;
    this.deviceId = link.deviceId();
    this.random = random;
    this.onIdentity = onIdentity;
    link.onProvisioningAnswer(this::answered);
  }

  @Override
  public ProvAnswer exchange(ProvRequest request, Duration timeout) throws NoAnswer {
    CompletableFuture<ProvAnswer> answer = new CompletableFuture<>();
    waiting.put(request.requestId(), answer);
    try {
      PublishResult sent = link.publish(Topics.provisioningRequests(deviceId),
          request.toJson().getBytes(StandardCharsets.UTF_8), "application/json", Map.of(), timeout);
      if (!(sent instanceof PublishResult.Acked acked) || acked.reasonCode() >= 0x80) {
        throw new NoAnswer("the request was not published (" + sent + ")");
      }
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new NoAnswer("no answer within " + timeout);
    } catch (ExecutionException e) {
      throw new NoAnswer(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoAnswer("interrupted");
    } finally {
      waiting.remove(request.requestId());
    }
  }

  private void answered(byte[] payload) {
    ProvAnswer answer;
    try {
      answer = ProvAnswer.parse(payload);
    } catch (MessageException e) {
      Logger.warn("ignoring an unreadable provisioning answer: {}", e.getMessage());
      return;
    }
    Optional<String> id = idOf(answer);
    CompletableFuture<ProvAnswer> waiter = id.map(waiting::get).orElse(null);
    if (waiter == null && id.isEmpty() && waiting.size() == 1) {
      waiter = waiting.values().iterator().next(); // an error about a request the service could not read
    }
    if (waiter == null) {
      Logger.warn("ignoring a provisioning answer for {}: no request waits for it", id.orElse("an unnamed request"));
      return;
    }
    waiter.complete(answer);
  }

  private static Optional<String> idOf(ProvAnswer a) {
    if (a instanceof RenewResponse r) {
      return Optional.of(r.requestId());
    }
    if (a instanceof ConfirmResponse c) {
      return Optional.of(c.requestId());
    }
    return ((ProvError) a).requestId();
  }

  @Override
  public CompletableFuture<Void> useIdentity(CredentialSet set) {
    onIdentity.accept(set);
    return link.useIdentity(TlsContexts.client(set, random).getSocketFactory());
  }
}
