package dev.holdfast.provisioning.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AclCheckTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "# a comment", "user holdfast.operator.alice", "topic read holdfast/v1/devices/+/state",
      "topic deny #", "pattern readwrite holdfast/v1/devices/%u/#", "topic write a/b", "pattern deny +/x"})
  void acceptsCommentsBlankLinesAndTheThreeDirectives(String line) {
    assertThat(AclCheck.problem(line)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"usr alice", "user", "user a b", "topic readwrite", "topic holdfast/#",
      "topic reed holdfast/#", "topic read a b", "pattern read a/#/b", "pattern read a+/b", " # indented comment",
      "topic read  a", "acl_file /tmp/x", "topic read holdfast/v1/devices/+/state # trailing comment"})
  void refusesEveryOtherLine(String line) {
    assertThat(AclCheck.problem(line)).isNotNull();
  }

  @Test
  void namesTheLineNumberAndTheLineOfTheFirstProblem() {
    assertThatThrownBy(() -> AclCheck.check("# ok\nuser x\ntopic read a/#\ntopic reed b\n"))
        .isInstanceOf(AclCheck.InvalidAclException.class)
        .hasMessage("ACL line 4 'topic reed b': access must be read, write, readwrite or deny");
  }

  @Test
  void refusesAnEmptyFileOrOneWithNulOrCarriageReturns() {
    for (String text : List.of("", "user x\r\ntopic read a\r\n", "user x\0")) {
      assertThatThrownBy(() -> AclCheck.check(text)).isInstanceOf(AclCheck.InvalidAclException.class);
    }
  }

  @Test
  void acceptsTheShippedBaseAndTheGeneratedAcl() throws Exception {
    AclCheck.check(new String(AclText.base(), java.nio.charset.StandardCharsets.UTF_8));
    AclCheck.check(AclText.render(List.of("alice", "night-shift")));
  }
}
