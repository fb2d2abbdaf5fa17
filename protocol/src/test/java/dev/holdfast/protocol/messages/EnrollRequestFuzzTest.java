package dev.holdfast.protocol.messages;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The body of {@code POST /v1/enroll} (and of the air-gapped request file), as the provisioning
 * side reads it: any bytes are refused with a {@link MessageException} or give a request whose own
 * JSON reads back to the same token and CSR. Any other exception or a hang is a finding.
 */
class EnrollRequestFuzzTest {
  @FuzzTest
  void anyBodyIsRefusedOrReadsBackTheSame(byte[] body) throws MessageException {
    if (body.length > EnrollRequest.MAX_BYTES) {
      return; // refused before parsing
    }
    EnrollRequest request;
    try {
      request = EnrollRequest.parse(body);
    } catch (MessageException refused) {
      return;
    }
    EnrollRequest again = EnrollRequest.parse(request.toJson());
    if (!again.tokenText().equals(request.tokenText()) || !Arrays.equals(again.csr(), request.csr())) {
      throw new AssertionError("an enrollment request did not survive its own JSON");
    }
    EnrollRequest otherToken = new EnrollRequest(
        dev.holdfast.protocol.crypto.Secret.copyOf("hfe_other".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        request.csr());
    if (!request.toString().equals(otherToken.toString())) {
      throw new AssertionError("toString depends on the token");
    }
  }
}
