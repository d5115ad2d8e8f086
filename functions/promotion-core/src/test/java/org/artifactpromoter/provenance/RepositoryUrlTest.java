package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryUrlTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the attacks of issue 11: a token in the query, in the user info, a leading space
        "https://git.example/x.git?private_token=glpat-s3cr3t | https://git.example/x.git",
        "'  https://ci:s3cr3t@git.example/x.git  ' | https://git.example/x.git",
        "https://git.example/acme/x.git#s3cr3t | https://git.example/acme/x.git",
        "https://git.example/acme/x.git?ref=main#readme | https://git.example/acme/x.git",
        "https://oauth2:s3cr3t@git.example:8443/acme/x.git?x=1 | https://git.example:8443/acme/x.git",
        "https://ci@git.example | https://git.example",
        "https://ci:s3cr3t@git.example?token=s3cr3t | https://git.example",
        "ssh://git@git.example:2222/acme/x.git | ssh://git.example:2222/acme/x.git",
        "https://ci:s3cr3t@[fd00::7]:8443/acme/x.git | https://[fd00::7]:8443/acme/x.git",
        "https://ci:s3cr3t@build_host/acme/x.git | https://build_host/acme/x.git",
        // what carries no secret is kept as it is
        "git@git.example:acme/x.git | git@git.example:acme/x.git",
        "codecommit::us-east-1://orders-api | codecommit::us-east-1://orders-api",
        "/srv/git/orders-api.git | /srv/git/orders-api.git",
        "https://git.example/acme/orders%40v2.git | https://git.example/acme/orders%40v2.git"
      })
  void sanitize_removesUserInfoQueryAndFragment(String url, String expected) {
    assertThat(RepositoryUrl.sanitize(url)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // a '/' in the password: the host part ends inside the secret
        "https://ci:SEC/RET@git.example/x.git",
        // ... and with a numeric start, which looks like a port
        "https://ci:1234/RET@git.example/x.git",
        "https://ci:SEC?RET@git.example/x.git",
        "https://ci:SEC#RET@git.example/x.git",
        "ci:SEC@git.example:acme/x.git",
        "https://git.example/acme/x.git\nINFO promoted",
        "https:///acme/x.git",
        "https://ci:SEC@/x.git",
        "not a url?token=SEC@x"
      })
  void sanitize_refusesWhatCannotBeSplitSafely_withoutQuotingIt(String url) {
    assertThatThrownBy(() -> RepositoryUrl.sanitize(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The repository URL ")
        .hasMessageContaining("Pass --repository")
        .hasMessageNotContaining("SEC")
        .hasMessageNotContaining("RET")
        .hasMessageNotContaining("INFO promoted");
  }

  @Test
  void sanitize_ofNothing_isNothing() {
    assertThat(RepositoryUrl.sanitize(null)).isNull();
    assertThat(RepositoryUrl.sanitize("  ")).isNull();
  }

  @Test
  void provenanceStatement_refusesARepositoryThatStillCarriesCredentials() {
    assertThatThrownBy(
            () ->
                new ProvenanceStatement(
                    "orders-api",
                    "orders-api.zip",
                    "da2d9102ea2b5d4e8a9a1b0bb1b9e2d1d4f6c0d7f1b8e9a2c3d4e5f60718293a",
                    "https://ci:s3cr3t@git.example/x.git",
                    "19f1a9f2c3d4e5f60718293a4b5c6d7e8f901234",
                    "builder",
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repository (no credentials, query or fragment)")
        .hasMessageNotContaining("s3cr3t");
  }
}
