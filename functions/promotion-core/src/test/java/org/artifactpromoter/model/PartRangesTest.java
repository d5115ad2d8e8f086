package org.artifactpromoter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartRangesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1 2 3 5 7 8 | 1-3,5,7-8",
        "4           | 4",
        "1 3 5       | 1,3,5",
        "1 2         | 1-2",
        "9 10 11 20  | 9-11,20",
        "127 128 129 | 127-129",
        "1000 1001 1003 | 1000-1001,1003",
        "1 2 3 4 10000 | 1-4,10000"
      })
  void ranges_collapsesRunsOfConsecutiveParts(String parts, String expected) {
    TreeSet<Integer> set =
        List.of(parts.trim().split("\\s+")).stream()
            .map(Integer::valueOf)
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(PartRanges.of(set).toString()).isEqualTo(expected);
  }

  @Test
  void ranges_ofNoParts_isEmpty() {
    assertThat(PartRanges.of(new TreeSet<>()).toString()).isEmpty();
  }

  @Test
  void ranges_ofAllPartsOfTheLargestUpload_isOneRange() {
    TreeSet<Integer> all =
        IntStream.rangeClosed(1, 10_000).boxed().collect(Collectors.toCollection(TreeSet::new));

    assertThat(PartRanges.of(all).toString()).isEqualTo("1-10000");
  }
}
