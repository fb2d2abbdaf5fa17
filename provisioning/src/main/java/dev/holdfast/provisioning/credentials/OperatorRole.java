package dev.holdfast.provisioning.credentials;

import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What an operator may do through the admin API, carried in its certificate's subject as the OU
 * ({@code OU=viewer}, {@code OU=admin}). A certificate without an OU was issued before roles and
 * counts as {@link #VIEWER}: least privilege (docs/decisions.md). MQTT rights do not depend on it.
 */
public enum OperatorRole {
  /** Reads the fleet: lists, shows, audit. */
  VIEWER,
  /** Also changes it: tokens, keys, revocations, operators. */
  ADMIN;

  /** The OU text, lower case. */
  public String unit() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code admin} may run whatever {@code viewer} may. */
  public boolean allows(OperatorRole needed) {
    return compareTo(needed) >= 0;
  }

  /** The role named {@code text} (viewer or admin); refuses anything else, naming both. */
  public static OperatorRole parse(String text) {
    return named(text).orElseThrow(() -> new IllegalArgumentException("a role is 'viewer' or 'admin', got '"
        + text + "'"));
  }

  /** The role in {@code cert}'s subject; no OU, or one that is no role, is {@link #VIEWER}. */
  public static OperatorRole of(X509Certificate cert) {
    return unit(cert).flatMap(OperatorRole::named).orElse(VIEWER);
  }

  private static Optional<OperatorRole> named(String text) {
    for (OperatorRole r : values()) {
      if (r.unit().equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> unit(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
