package dev.holdfast.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.bench.fleet.FakeSmsProvider.Sms;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private static final String A = "dev-aaaaaaaaaaaaaaaa";
  private static final String B = "dev-bbbbbbbbbbbbbbbb";

  private static Ledger sentTwoToOneNumberAndOneToAnother() {
    Ledger ledger = new Ledger();
    ledger.sent(A, "+1", Ledger.body(A, 1, "x"));
    ledger.sent(A, "+1", Ledger.body(A, 2, "y"));
    ledger.sent(B, "+1", Ledger.body(B, 1, "z"));
    return ledger;
  }

  private static Sms sms(String to, String device, int n, String text) {
    return new Sms(to, "+0", Ledger.body(device, n, text));
  }

  @Test
  void findsNothingWhenEachArrivedOnceInOrderPerDeviceAndDestinationWhateverTheInterleaving() {
    assertThat(sentTwoToOneNumberAndOneToAnother().differences(List.of(
        sms("+1", B, 1, "z"), sms("+1", A, 1, "x"), sms("+1", A, 2, "y")))).isEmpty();
  }

  @Test
  void namesADuplicate() {
    assertThat(sentTwoToOneNumberAndOneToAnother().differences(List.of(
        sms("+1", A, 1, "x"), sms("+1", A, 1, "x"), sms("+1", A, 2, "y"), sms("+1", B, 1, "z"))))
        .singleElement().asString().startsWith(A + " -> +1: sent");
  }

  @Test
  void namesMessagesOutOfOrder() {
    assertThat(sentTwoToOneNumberAndOneToAnother().differences(List.of(
        sms("+1", A, 2, "y"), sms("+1", A, 1, "x"), sms("+1", B, 1, "z")))).hasSize(1);
  }

  @Test
  void namesAMissingMessageAndOneNobodySent() {
    assertThat(sentTwoToOneNumberAndOneToAnother().differences(List.of(
        sms("+1", A, 1, "x"), sms("+1", A, 2, "y"), sms("+2", B, 1, "z"))))
        .anySatisfy(d -> assertThat(d).startsWith(B + " -> +1: sent"))
        .anySatisfy(d -> assertThat(d).startsWith(B + " -> +2: received"))
        .hasSize(2);
  }
}
