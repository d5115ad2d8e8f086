package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.artifactpromoter.pipeline.CodePipelineEvent.Artifact;
import org.artifactpromoter.pipeline.CodePipelineEvent.Data;
import org.artifactpromoter.pipeline.CodePipelineEvent.Job;
import org.junit.jupiter.api.Test;

class SourceRevisionTest {
  private static Job job(List<Artifact> inputs) {
    return new Job("j", "111111111111", new Data(null, inputs, null, null, null, null));
  }

  @Test
  void of_aGitCommit_isTheRevisionToPromote() {
    SourceRevision source =
        SourceRevision.of(
            job(List.of(new Artifact("src", "0123456789ABCDEF0123456789abcdef01234567", null))));

    assertThat(source.gitRevision()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    assertThat(source.dropKeyVersion()).isNull();
  }

  @Test
  void of_anS3Version_pinsTheSourceDropKey() {
    SourceRevision source =
        SourceRevision.of(
            job(
                List.of(
                    new Artifact("src", "3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY", null),
                    new Artifact("other", "0123456789abcdef0123456789abcdef01234567", null))));

    assertThat(source.gitRevision()).isNull();
    assertThat(source.dropKeyVersion()).isEqualTo("3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY");
  }

  @Test
  void of_withoutInputArtifact_saysToConfigureOne() {
    assertThatThrownBy(() -> SourceRevision.of(job(List.of())))
        .hasMessageContaining("no input artifact");
  }

  @Test
  void of_aBuildOutputWithoutRevision_isRefused() {
    assertThatThrownBy(
            () -> SourceRevision.of(job(List.of(new Artifact("BuildOutput", null, null)))))
        .hasMessageContaining("\"BuildOutput\" carries no revision");
    assertThatThrownBy(() -> SourceRevision.of(job(List.of(new Artifact("x", "a b", null)))))
        .hasMessageContaining("neither a 40-character git commit nor an S3 version id");
  }
}
