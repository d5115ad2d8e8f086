package org.artifactpromoter.it.races;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.artifactpromoter.it.support.AwsProxy;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The races of {@link RaceGuarantees} with {@code conditionalWrites: true}, the deployed default,
 * on a moto patched to honour If-None-Match and If-Match on CopyObject and to write each key
 * atomically, as S3 does (races/moto_conditional_copy.py): S3 refuses the losing write of a release
 * or of the drop key, and the promoter lists no version of the destination after writing.
 */
class ConditionalRacesIT extends RaceGuarantees {
  /**
   * Replaces the moto {@code WithMoto} started (it runs first; its method is not visible here to
   * hide) with one that settles conditional writes; WithMoto stops this one after the class.
   */
  @BeforeAll
  static void startMotoHonouringConditions() throws URISyntaxException {
    moto.close();
    moto =
        MotoServer.startWithPatches(
            Path.of(
                ConditionalRacesIT.class.getResource("/races/moto_conditional_copy.py").toURI()));
  }

  @Override
  protected String configJson() {
    return accounts.configJsonWithConditionalWrites(null);
  }

  @BeforeEach
  void promotionsThroughTheProxy() {
    routeCodeUnderTestThroughProxy();
  }

  /** Every race was settled by S3's refusals: nothing listed the destination's versions. */
  @AfterEach
  void noListingOfTheDestination() {
    String stage = "/" + LocalAccounts.bucket("stage");
    List<AwsProxy.Call> listings =
        proxy.calls("ListObjectVersions").stream()
            .filter(c -> c.url().startsWith(stage + "?") || c.url().startsWith(stage + "/"))
            .toList();
    long refused = proxy.calls().stream().filter(c -> c.status() == 412).count();
    System.out.printf("races: %d writes refused by their condition (412)%n", refused);
    assertThat(listings).extracting(AwsProxy.Call::url).isEmpty();
    // The source's release is still checked to be its key's only version: the filter above sees
    // listings where there are some.
    assertThat(proxy.calls("ListObjectVersions"))
        .extracting(AwsProxy.Call::url)
        .anySatisfy(url -> assertThat(url).startsWith("/" + LocalAccounts.bucket("dev") + "?"));
  }
}
