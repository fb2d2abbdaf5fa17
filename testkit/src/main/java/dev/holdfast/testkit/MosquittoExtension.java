package dev.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One real Mosquitto with the shipped configuration and a fresh {@link TestPki} per test class.
 * Use {@code @ExtendWith(MosquittoExtension.class)} and take {@link Mosquitto} / {@link TestPki}
 * as parameters, or {@code @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();}
 * and call {@link #broker()} / {@link #pki()}. The broker is stopped and its files deleted after the
 * class, whatever the outcome; a failing test prints the broker log to standard error.
 */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {
  private Path dir;
  private TestPki pki;
  private Mosquitto broker;
  private String owner;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (broker != null) {
      return; // a @Nested class shares its outer class's broker
    }
    owner = context.getUniqueId();
    dir = Files.createTempDirectory("holdfast-mosquitto-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    pki = TestPki.create(dir.resolve("pki"));
    broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker"));
    try {
      broker.start();
    } catch (RuntimeException e) {
      cleanUp();
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(owner)) {
      cleanUp();
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (broker != null) {
      System.err.println("--- Mosquitto log for failed test " + context.getDisplayName() + " ---\n" + broker.log());
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Mosquitto.class || type == TestPki.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Mosquitto.class ? broker() : pki();
  }

  /** The running broker of the current test class. */
  public Mosquitto broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker starts before all tests of the class; use it from a test");
    }
    return broker;
  }

  /** The PKI whose files the broker reads. */
  public TestPki pki() {
    if (pki == null) {
      throw new IllegalStateException("the PKI is made before all tests of the class; use it from a test");
    }
    return pki;
  }

  private void cleanUp() {
    try {
      if (broker != null) {
        broker.stop();
      }
    } finally {
      broker = null;
      pki = null;
      owner = null;
      deleteTree(dir);
      dir = null;
    }
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the broker's temp directory " + root, e);
    }
  }
}
