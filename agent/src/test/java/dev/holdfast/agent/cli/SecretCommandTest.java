package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCommandTest {
  @TempDir Path home;
  AgentFixture agent;

  @BeforeEach
  void setUp() throws Exception {
    agent = new AgentFixture(home);
    assertThat(agent.agent("vault", "init").code()).isZero();
  }

  @Test
  void setReadsTheValueFromStandardInputAndGetPrintsItExactly() {
    AgentFixture.Result set = agent.agentWithInput("AC-token-42\n", "secret", "set", "twilio.auth-token");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("stored secret 'twilio.auth-token' (11 bytes)").doesNotContain("AC-token-42");
    assertThat(agent.agent("secret", "get", "twilio.auth-token").out()).isEqualTo("AC-token-42");
  }

  @Test
  void setReplacesAnExistingValue() {
    agent.agentWithInput("one", "secret", "set", "a");
    agent.agentWithInput("two", "secret", "set", "a");
    assertThat(agent.agent("secret", "get", "a").out()).isEqualTo("two");
  }

  @Test
  void listShowsNamesOnlyInOrder() {
    agent.agentWithInput("v1", "secret", "set", "zeta");
    agent.agentWithInput("v2", "secret", "set", "alpha");
    assertThat(agent.agent("secret", "list").out()).isEqualTo("alpha\nzeta\n");
    assertThat(agent.agent("secret", "list", "--json").out().strip()).isEqualTo("[\"alpha\",\"zeta\"]");
  }

  @Test
  void rmRemovesAndAMissingSecretIsExit66() {
    agent.agentWithInput("v", "secret", "set", "a");
    assertThat(agent.agent("secret", "rm", "a").code()).isZero();
    AgentFixture.Result get = agent.agent("secret", "get", "a");
    assertThat(get.code()).isEqualTo(66);
    assertThat(get.error()).isEqualTo("holdfast-agent: no secret named 'a' (see 'holdfast-agent secret list')");
    assertThat(agent.agent("secret", "rm", "a").code()).isEqualTo(66);
  }

  @Test
  void anEmptyValueIsRefused() {
    AgentFixture.Result set = agent.agentWithInput("\n", "secret", "set", "a");
    assertThat(set.code()).isEqualTo(65);
    assertThat(set.error()).contains("no value on standard input");
  }

  @Test
  void aValueOverTheLimitIsRefused() {
    AgentFixture.Result set = agent.agentWithInput("x".repeat(SecretCommand.MAX_BYTES + 1), "secret", "set", "a");
    assertThat(set.code()).isEqualTo(65);
    assertThat(set.error()).contains("over 65536 bytes");
  }

  @Test
  void aNameWithForbiddenCharactersIsAUsageError() {
    AgentFixture.Result set = agent.agentWithInput("v", "secret", "set", "../etc/passwd");
    assertThat(set.code()).isEqualTo(64);
    assertThat(set.err()).contains("secret name '../etc/passwd' is not allowed");
  }

  @Test
  void theValueCannotBeGivenOnTheCommandLine() {
    AgentFixture.Result set = agent.agent("secret", "set", "a", "the-value");
    assertThat(set.code()).isEqualTo(64);
  }
}
