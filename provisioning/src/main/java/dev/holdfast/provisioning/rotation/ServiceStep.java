package dev.holdfast.provisioning.rotation;

/**
 * The points of the service's side of a rotation after which it may die with the work half done,
 * in order: the crash harness halts the process at one of them, and a restart must finish the
 * rotation from there (the device asks again; a pending broker change is synced at start).
 */
public enum ServiceStep {
  /** The renew's transaction committed; its answer not sent. */
  RENEW_COMMITTED,
  /** The confirm's transaction committed (the old certificate revoked, pending for the broker); nothing told. */
  CONFIRM_COMMITTED,
  /** The CRL that lists the revocation (and the ACL) written where the broker reads them; no signal yet. */
  BROKER_FILES_WRITTEN,
  /** The broker signalled and the pending change cleared; the confirm's answer not sent. */
  BROKER_SYNCED
}
