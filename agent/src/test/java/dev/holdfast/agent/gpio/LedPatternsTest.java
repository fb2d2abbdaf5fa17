package dev.holdfast.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.gpio.LedPattern.Colour;
import dev.holdfast.agent.gpio.LedState.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The state the LED tells and the pattern it plays for it: pure functions, tables of cases. */
class LedPatternsTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final Duration WARNING = Duration.ofDays(7);
  static final Optional<Instant> FAR = Optional.of(NOW.plus(Duration.ofDays(300)));

  static AgentView running(AgentView.Link link, long queued) {
    return new AgentView(AgentView.Phase.RUNNING, link, queued, false, false, FAR, FAR, false, false);
  }

  static Condition condition(AgentView view) {
    return LedState.of(view, NOW, WARNING).condition();
  }

  @Test
  void everyConditionHasItsOwnTimingSoAOneColourLedTellsThemApart() {
    List<List<Integer>> timings = Arrays.stream(Condition.values())
        .map(c -> LedPatterns.of(new LedState(c, 0)).steps()).toList();
    assertThat(timings).doesNotHaveDuplicates();
    // and the offline rates differ from every other pattern at any depth
    for (long depth : new long[] {0, 1, 10, 100, 1000}) {
      List<Integer> offline = LedPatterns.of(new LedState(Condition.OFFLINE, depth)).steps();
      assertThat(Arrays.stream(Condition.values()).filter(c -> c != Condition.OFFLINE)
          .map(c -> LedPatterns.of(new LedState(c, depth)).steps())).doesNotContain(offline);
    }
  }

  @ParameterizedTest(name = "{0} queued: a flash every {1} ms")
  @CsvSource({"0, 4000", "1, 2000", "9, 2000", "10, 1000", "99, 1000", "100, 500", "999, 500", "1000, 250",
      "5000000, 250"})
  void offlineTheBlinkRateRisesWithTheQueueDepth(long queued, int period) {
    LedPattern p = LedPatterns.of(new LedState(Condition.OFFLINE, queued));
    assertThat(p.period()).isEqualTo(period);
    assertThat(p.steps().get(0)).as("the flash").isEqualTo(100);
  }

  @ParameterizedTest(name = "{0}: {1} flashes")
  @CsvSource({"CREDENTIALS_REJECTED, 2", "CREDENTIALS_EXPIRING, 3", "VAULT_ERROR, 4"})
  void errorsAreCountedFlashes(Condition condition, int flashes) {
    LedPattern p = LedPatterns.of(new LedState(condition, 0));
    assertThat(p.steps()).hasSize(2 * flashes);
    assertThat(p.steps().subList(0, 2 * flashes - 1)).containsOnly(LedPatterns.FLASH);
    assertThat(p.steps().get(2 * flashes - 1)).isEqualTo(LedPatterns.PAUSE);
  }

  @Test
  void theColoursOfAnRgbLed() {
    assertThat(Arrays.stream(Condition.values()).map(c -> LedPatterns.of(new LedState(c, 0)).colour()))
        .containsExactly(Colour.RED, Colour.BLUE, Colour.CYAN, Colour.MAGENTA, Colour.MAGENTA, Colour.YELLOW,
            Colour.GREEN);
  }

  @Test
  void rotatingIsAnEvenOneSecondBlinkAndWinsOverRejectedCredentialsAndOffline() {
    AgentView rotating = new AgentView(AgentView.Phase.RUNNING, AgentView.Link.DOWN, 3, true, true, FAR, FAR, false,
        true);
    assertThat(condition(rotating)).isEqualTo(Condition.ROTATING);
    assertThat(LedPatterns.of(LedState.of(rotating, NOW, WARNING))).isEqualTo(LedPattern.of(Colour.CYAN, 1000, 1000));
  }

  @Test
  void theMostImportantConditionIsShown() {
    AgentView everything = new AgentView(AgentView.Phase.RUNNING, AgentView.Link.DOWN, 5, true, true,
        Optional.of(NOW.plusSeconds(60)), FAR, true, true);
    assertThat(condition(everything)).isEqualTo(Condition.VAULT_ERROR);
    assertThat(condition(AgentView.vaultError())).isEqualTo(Condition.VAULT_ERROR);
    assertThat(condition(AgentView.starting())).isEqualTo(Condition.STARTING);
    assertThat(condition(new AgentView(AgentView.Phase.RUNNING, AgentView.Link.DOWN, 5, true, true,
        Optional.of(NOW.plusSeconds(60)), FAR, false, false))).isEqualTo(Condition.CREDENTIALS_REJECTED);
    assertThat(condition(new AgentView(AgentView.Phase.RUNNING, AgentView.Link.DOWN, 5, true, false,
        Optional.of(NOW.plusSeconds(60)), FAR, false, false))).isEqualTo(Condition.CREDENTIALS_EXPIRING);
  }

  @ParameterizedTest(name = "certificate expires in {0} h, API key in {1} h: {2}")
  @CsvSource({"169, 1000, ONLINE", "167, 1000, CREDENTIALS_EXPIRING", "1000, 1, CREDENTIALS_EXPIRING",
      "-5, 1000, CREDENTIALS_EXPIRING"})
  void credentialsExpiringWithinTheWarningTimeOrExpired(long certHours, long keyHours, Condition expected) {
    AgentView view = new AgentView(AgentView.Phase.RUNNING, AgentView.Link.CONNECTED, 0, false, false,
        Optional.of(NOW.plus(Duration.ofHours(certHours))), Optional.of(NOW.plus(Duration.ofHours(keyHours))), false,
        false);
    assertThat(condition(view)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "link {0}, {1} queued, delivery failing {2}: {3}")
  @CsvSource({"CONNECTED, 0, false, ONLINE", "CONNECTED, 40, true, ONLINE", "DOWN, 0, false, OFFLINE",
      "DOWN, 7, false, OFFLINE", "NONE, 0, false, ONLINE", "NONE, 3, false, ONLINE", "NONE, 3, true, OFFLINE",
      "NONE, 0, true, ONLINE"})
  void offlineMeansTheLinkIsDownOrWithoutALinkDeliveriesFail(AgentView.Link link, long queued, boolean failing,
      Condition expected) {
    AgentView view = new AgentView(AgentView.Phase.RUNNING, link, queued, failing, false, Optional.empty(),
        Optional.empty(), false, false);
    assertThat(condition(view)).isEqualTo(expected);
    assertThat(LedState.of(view, NOW, WARNING).queued()).isEqualTo(queued);
  }
}
