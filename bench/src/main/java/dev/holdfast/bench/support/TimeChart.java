package dev.holdfast.bench.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a count over time and its rate (headless java.awt + ImageIO) as a PNG: the count on the
 * left axis, its increase per second between samples on the right, phase marks as vertical lines.
 * The outbox outage (queue depth, delivered per second) and the fleet rotation (devices confirmed,
 * confirmed per second) are drawn by it.
 */
public final class TimeChart {
  private static final int W = 960;
  private static final int H = 480;
  private static final int LEFT = 80;
  private static final int RIGHT = 80;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final Color DEPTH = new Color(0x1f77b4);
  private static final Color RATE = new Color(0xd62728);

  /**
   * One sample: at {@code seconds}, the {@code level} drawn on the left axis and the running {@code
   * count} whose rate is drawn on the right.
   */
  public record Sample(double seconds, long level, long count) {}

  /** The axis labels: the left level's, the right rate's. */
  public record Labels(String level, String rate) {}

  private TimeChart() {}

  /** @param marks "SECONDS label" each, drawn as a dashed vertical line */
  public static void write(Path png, String title, List<Sample> samples, Labels labels, List<String> marks)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double tMax = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).seconds());
    double[] rates = rates(samples);
    double depthMax = Math.max(1, samples.stream().mapToLong(Sample::level).max().orElse(1));
    double rateMax = Math.max(1, java.util.Arrays.stream(rates).max().orElse(1));
    Plot plot = new Plot(tMax);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    for (int i = 0; i <= 5; i++) {
      int y = TOP + (H - TOP - BOTTOM) * (5 - i) / 5;
      g.setColor(DEPTH);
      g.drawString(String.format(Locale.ROOT, "%,.0f", depthMax * i / 5), 8, y + 4);
      g.setColor(RATE);
      g.drawString(String.format(Locale.ROOT, "%,.0f", rateMax * i / 5), W - RIGHT + 6, y + 4);
      g.setColor(Color.BLACK);
      String t = String.format(Locale.ROOT, "%.0f s", tMax * i / 5);
      g.drawString(t, plot.x(tMax * i / 5) - 10, H - BOTTOM + 18);
    }
    g.drawString("time", W / 2 - 10, H - 20);
    g.setColor(DEPTH);
    g.drawString(labels.level(), LEFT, H - 20);
    g.setColor(RATE);
    g.drawString(labels.rate(), W - RIGHT - g.getFontMetrics().stringWidth(labels.rate()), H - 20);
    drawMarks(g, plot, marks);
    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < samples.size(); i++) {
      Sample a = samples.get(i - 1);
      Sample b = samples.get(i);
      g.setColor(DEPTH);
      g.drawLine(plot.x(a.seconds()), plot.y(a.level(), depthMax), plot.x(b.seconds()), plot.y(b.level(), depthMax));
      g.setColor(RATE);
      g.drawLine(plot.x(a.seconds()), plot.y(rates[i - 1], rateMax), plot.x(b.seconds()), plot.y(rates[i], rateMax));
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void drawMarks(Graphics2D g, Plot plot, List<String> marks) {
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    int row = 0;
    for (String m : marks) {
      int space = m.indexOf(' ');
      int x = plot.x(Double.parseDouble(m.substring(0, space)));
      g.drawLine(x, TOP, x, H - BOTTOM);
      g.drawString(m.substring(space + 1), x + 4, TOP + 14 + 14 * (row++ % 3));
    }
  }

  /** The count's increase per second between consecutive samples (the first sample gets 0). */
  static double[] rates(List<Sample> samples) {
    double[] rates = new double[samples.size()];
    for (int i = 1; i < samples.size(); i++) {
      Sample a = samples.get(i - 1);
      Sample b = samples.get(i);
      double dt = b.seconds() - a.seconds();
      rates[i] = dt <= 0 ? 0 : (b.count() - a.count()) / dt;
    }
    return rates;
  }

  private record Plot(double tMax) {
    int x(double t) {
      return LEFT + (int) Math.round((W - LEFT - RIGHT) * t / tMax);
    }

    int y(double v, double max) {
      return H - BOTTOM - (int) Math.round((H - TOP - BOTTOM) * v / max);
    }
  }
}
