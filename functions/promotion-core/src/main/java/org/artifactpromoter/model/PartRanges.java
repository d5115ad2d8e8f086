package org.artifactpromoter.model;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The part numbers of a multipart upload that are done, and their compact text form ("1-12,15"),
 * which continuation tokens and job summaries carry. The one grammar for it: written by {@link
 * #toString}, read back by {@link #parse}.
 */
public final class PartRanges {
  private static final Pattern GRAMMAR = Pattern.compile("(\\d+(-\\d+)?)(,\\d+(-\\d+)?)*");

  /** S3 allows at most this many parts in one upload. */
  public static final int MAX_PART = 10_000;

  private final SortedSet<Integer> parts;

  private PartRanges(SortedSet<Integer> parts) {
    this.parts = Collections.unmodifiableSortedSet(parts);
  }

  public static PartRanges of(SortedSet<Integer> parts) {
    return new PartRanges(new TreeSet<>(parts));
  }

  public static PartRanges none() {
    return new PartRanges(new TreeSet<>());
  }

  /**
   * Reads the text form; empty text is no parts. Anything else that does not follow the grammar,
   * counts down ("5-3") or names a part S3 cannot have is refused with an {@link
   * IllegalArgumentException}: callers decide what that means for their input.
   */
  public static PartRanges parse(String text) {
    if (text == null || text.isEmpty()) {
      return none();
    }
    if (text.length() > 60_000 || !GRAMMAR.matcher(text).matches()) {
      throw new IllegalArgumentException("not part ranges");
    }
    SortedSet<Integer> parts = new TreeSet<>();
    for (String range : text.split(",")) {
      int dash = range.indexOf('-');
      int first = number(dash < 0 ? range : range.substring(0, dash));
      int last = dash < 0 ? first : number(range.substring(dash + 1));
      if (last < first) {
        throw new IllegalArgumentException("not part ranges");
      }
      for (int part = first; part <= last; part++) {
        parts.add(part);
      }
    }
    return new PartRanges(parts);
  }

  private static int number(String digits) {
    if (digits.length() > 5) {
      throw new IllegalArgumentException("not a part number");
    }
    int number = Integer.parseInt(digits);
    if (number < 1 || number > MAX_PART) {
      throw new IllegalArgumentException("not a part number");
    }
    return number;
  }

  public SortedSet<Integer> parts() {
    return parts;
  }

  public int count() {
    return parts.size();
  }

  public boolean isEmpty() {
    return parts.isEmpty();
  }

  /** Runs of consecutive parts collapsed: "1-3,5,7-8". */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    Integer start = null;
    Integer previous = null;
    for (Integer part : parts) {
      if (previous != null && part == previous + 1) {
        previous = part;
        continue;
      }
      appendRange(out, start, previous);
      start = part;
      previous = part;
    }
    appendRange(out, start, previous);
    return out.toString();
  }

  private static void appendRange(StringBuilder out, Integer start, Integer end) {
    if (start == null) {
      return;
    }
    if (out.length() > 0) {
      out.append(',');
    }
    out.append(start);
    if (!end.equals(start)) {
      out.append('-').append(end);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PartRanges ranges && ranges.parts.equals(parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }
}
