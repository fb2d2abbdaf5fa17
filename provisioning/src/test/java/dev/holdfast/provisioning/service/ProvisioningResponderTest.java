package dev.holdfast.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/** How requests travel from the broker's thread to the answering executor: in order, and together when they waited. */
class ProvisioningResponderTest {
  /** An executor that runs its tasks only when the test says so, as a busy answering thread would. */
  final Queue<Runnable> tasks = new ArrayDeque<>();
  final List<List<String>> batches = new ArrayList<>();
  Runnable duringAnswer = () -> { };

  final ProvisioningResponder responder = new ProvisioningResponder(new ProvisioningResponder.Answers() {
    @Override
    public void answer(String deviceId, byte[] payload, Consumer<ProvAnswer> reply) {
      throw new AssertionError("requests are handed over together");
    }

    @Override
    public void answerAll(List<ProvisioningResponder.Asked> asked) {
      batches.add(asked.stream().map(a -> a.deviceId() + ":" + new String(a.payload(), StandardCharsets.UTF_8))
          .toList());
      duringAnswer.run();
    }
  }, tasks::add);

  void arrives(String device) {
    responder.onMessage(Topics.provisioningRequests(device),
        new MqttMessage(device.getBytes(StandardCharsets.UTF_8), 1, false, null), null);
  }

  void runTasks() {
    for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
      t.run();
    }
  }

  static String device(int i) {
    return String.format("dev-%016d", i);
  }

  @Test
  void requestsThatArriveWhileTheAnsweringThreadIsBusyAreHandedOverTogetherInTheirOrder() {
    arrives(device(1));
    arrives(device(2));
    arrives(device(3));

    assertThat(tasks).as("one task for all three").hasSize(1);
    runTasks();

    assertThat(batches).containsExactly(List.of(device(1) + ":" + device(1), device(2) + ":" + device(2),
        device(3) + ":" + device(3)));
  }

  @Test
  void moreThanMostAtOnceWaitingAreHandedOverInSeveralBatchesInOrder() {
    int n = ProvisioningResponder.MOST_AT_ONCE + 8;
    for (int i = 0; i < n; i++) {
      arrives(device(i));
    }

    runTasks();

    assertThat(batches).extracting(List::size).containsExactly(ProvisioningResponder.MOST_AT_ONCE, 8);
    assertThat(batches.stream().flatMap(List::stream).toList())
        .isEqualTo(java.util.stream.IntStream.range(0, n).mapToObj(i -> device(i) + ":" + device(i)).toList());
  }

  @Test
  void aRequestThatArrivesWhileOthersAreAnsweredIsHandedOverNext() {
    arrives(device(1));
    duringAnswer = () -> {
      duringAnswer = () -> { };
      arrives(device(2));
    };

    runTasks();

    assertThat(batches).containsExactly(List.of(device(1) + ":" + device(1)), List.of(device(2) + ":" + device(2)));
    assertThat(tasks).isEmpty();
  }

  @Test
  void aMessageOnAnotherTopicIsNeverHandedOver() {
    responder.onMessage("holdfast/v1/devices/" + device(1) + "/state",
        new MqttMessage(new byte[] {1}, 1, false, null), null);

    runTasks();

    assertThat(batches).isEmpty();
  }
}
