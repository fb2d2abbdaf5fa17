package dev.holdfast.provisioning.cli;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.RotationRecord;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.tokens.TokenService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How records look on screen and in {@code --json}; never with an HMAC or a secret. */
final class Render {
  private Render() {}

  static Map<String, Object> key(ApiKeyRecord k, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("device", k.deviceId());
    m.put("state", ApiKeyService.displayState(k, now));
    m.put("scopes", k.scopes().stream().sorted().toList());
    m.put("created", k.createdAt());
    m.put("expires", k.expiresAt());
    m.put("grace_until", k.graceUntil().orElse(null));
    m.put("last_used", k.lastUsedAt().orElse(null));
    m.put("requests", k.requests());
    return m;
  }

  /** A key as {@link #key} for people: a key never used says "never" (JSON keeps null). */
  static Map<String, Object> keyForPeople(ApiKeyRecord k, Instant now) {
    Map<String, Object> m = key(k, now);
    m.put("last_used", k.lastUsedAt().<Object>map(t -> t).orElse("never"));
    return m;
  }

  static Map<String, Object> certificate(CertificateRecord c, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("serial", c.serial());
    m.put("kind", c.kind());
    m.put("subject", c.subject());
    m.put("not_after", c.notAfter());
    m.put("state", c.state() == CertificateRecord.State.VALID && c.expiredAt(now) ? "EXPIRED" : c.state().name());
    m.put("revoked_at", c.revokedAt().orElse(null));
    return m;
  }

  static Map<String, Object> device(Device d, Optional<CertificateRecord> current, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("state", d.state());
    m.put("profile", d.profile());
    m.put("labels", List.copyOf(d.labels()));
    m.put("created", d.createdAt());
    m.put("rotation", d.rotation() == Device.RotationState.PENDING_CONFIRMATION ? "rotation pending" : "none");
    m.put("certificate", current.map(c -> certificate(c, now)).orElse(null));
    return m;
  }

  /** Whether the broker has taken every change; when not, since when, what, why, and this device's part in it. */
  static String broker(Optional<PendingReload> pending, String deviceId) {
    if (pending.isEmpty()) {
      return "up to date";
    }
    PendingReload p = pending.get();
    return "NOT up to date since " + p.since() + ": " + p.what()
        + (p.sessionsToCut().contains(deviceId) ? "; this device's open MQTT session is not closed yet" : "")
        + p.lastError().map(e -> "; last attempt: " + e).orElse("")
        + "; 'broker reload' or a running 'serve' retries it";
  }

  /** A device's latest rotation: its request, its serials and keys, when it was asked and confirmed. */
  static Map<String, Object> rotation(RotationRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request", r.requestId());
    m.put("state", r.state());
    m.put("requested", r.requestedAt());
    m.put("confirmed", r.confirmedAt().orElse(null));
    m.put("old_serial", r.oldSerial());
    m.put("new_serial", r.newSerial());
    m.put("old_api_key", r.oldKeyId());
    m.put("new_api_key", r.newKeyId());
    return m;
  }

  static Map<String, Object> token(TokenRecord t, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("profile", t.profile());
    m.put("state", TokenService.displayState(t, now));
    m.put("created", t.createdAt());
    m.put("expires", t.expiresAt());
    m.put("redeemed_by", t.redeemedBy().orElse(null));
    return m;
  }

  static Map<String, Object> audit(AuditEvent e) {
    return Json.object("at", e.at(), "actor", e.actor(), "action", e.action(), "device", e.deviceId().orElse(null),
        "detail", e.detail());
  }

  /** Rows as aligned columns, or a JSON array. */
  static String table(List<Map<String, Object>> rows, boolean json, String... columns) {
    if (json) {
      return Json.write(rows);
    }
    int[] widths = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      widths[i] = columns[i].length();
      for (Map<String, Object> r : rows) {
        widths[i] = Math.max(widths[i], cell(r.get(columns[i])).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, widths, List.of(columns).stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList());
    for (Map<String, Object> r : rows) {
      line(sb, widths, List.of(columns).stream().map(c -> cell(r.get(c))).toList());
    }
    return sb.toString().stripTrailing();
  }

  private static void line(StringBuilder sb, int[] widths, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      sb.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
    }
    sb.append('\n');
  }

  private static String cell(Object o) {
    if (o == null) {
      return "-";
    }
    if (o instanceof Map<?, ?> m) {
      return String.valueOf(m.get("not_after"));
    }
    if (o instanceof List<?> l) {
      return l.isEmpty() ? "-" : String.join(",", l.stream().map(String::valueOf).toList());
    }
    return o.toString();
  }
}
