package dev.holdfast.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {
  static final KnownKeys KEYS = KnownKeys.of(List.of("fleet.name", "ca.crl-path", "relay.listen"), "docs/x.md")
      .withFamily("profile.", Set.of("scopes", "cert-lifetime"));

  @TempDir Path dir;

  static ConfigFile parse(String text) throws ConfigException {
    return ConfigFile.parse("f.conf", text.lines().toList(), KEYS);
  }

  @Test
  void readsKeysAndValuesTrimmedSkippingCommentsAndBlankLinesWithOrWithoutSpacesAroundTheEquals()
      throws Exception {
    ConfigFile f = parse("# comment\n\nfleet.name = Acme = Fleet  \n  relay.listen=0.0.0.0:8443\nca.crl-path=\n"
        + "profile.night-shift.scopes = messages:send\n");

    assertThat(f.get("fleet.name").orElseThrow().value()).isEqualTo("Acme = Fleet");
    assertThat(f.get("relay.listen").orElseThrow().where()).isEqualTo("f.conf line 4");
    assertThat(f.get("ca.crl-path")).as("an empty value is not set").isEmpty();
    assertThat(f.has("ca.crl-path")).isTrue();
    assertThat(f.entries().keySet()).containsExactly("fleet.name", "relay.listen", "ca.crl-path",
        "profile.night-shift.scopes");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "fleet.nmae = x               | f.conf line 1: unknown key 'fleet.nmae'; did you mean 'fleet.name'?",
      "colour = blue                | f.conf line 1: unknown key 'colour'; see docs/x.md for the known keys",
      "profile.default.scope = a    | unknown key 'profile.default.scope'; did you mean 'profile.default.scopes'?",
      "profile.Bad_Name.scopes = a  | unknown key 'profile.Bad_Name.scopes'",
      "just some words              | f.conf line 1: expected 'key = value', found 'just some words'",
      "= value                      | expected 'key = value'",
  })
  void refusesWhatItDoesNotKnowSayingWhereAndWhatWasMeant(String line, String message) {
    assertThatThrownBy(() -> parse(line)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.kind()).isEqualTo(ConfigException.Kind.INVALID)).hasMessageContaining(message);
  }

  @Test
  void refusesAKeyGivenTwiceNamingBothLines() {
    assertThatThrownBy(() -> parse("fleet.name = a\n\nfleet.name = b\n"))
        .hasMessage("f.conf line 3: 'fleet.name' is already set on line 1; keep one of them");
  }

  @Test
  void leavesAMissingFileToTheCallerAndRefusesOneThatIsNotUtf8() throws Exception {
    assertThatThrownBy(() -> ConfigFile.read(dir.resolve("none.conf"), KEYS)).isInstanceOf(NoSuchFileException.class);
    Path latin1 = Files.write(dir.resolve("l.conf"), new byte[] {'f', 'l', 'e', 'e', 't', '.', 'n', 'a', 'm', 'e', '=',
        (byte) 0xe9});
    assertThatThrownBy(() -> ConfigFile.read(latin1, KEYS)).hasMessageContaining("is not UTF-8 text");
  }

  @Test
  void suggestionsOnlyForPlausibleTypos() {
    assertThat(Suggestions.closest("data-dri", List.of("data-dir", "log.level"))).contains("data-dir");
    assertThat(Suggestions.closest("zzzzzzzz", List.of("data-dir", "log.level"))).isEmpty();
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
  }
}
