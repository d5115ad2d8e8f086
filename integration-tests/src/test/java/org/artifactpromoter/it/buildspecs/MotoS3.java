package org.artifactpromoter.it.buildspecs;

import org.artifactpromoter.it.support.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/** An S3 client on the moto server, for setting up and checking buckets from the tests. */
final class MotoS3 {
  private MotoS3() {}

  static S3Client client(MotoServer moto) {
    return S3Client.builder()
        .endpointOverride(moto.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A versioned bucket, as every artifact and state bucket is. */
  static void createVersionedBucket(S3Client s3, String bucket) {
    s3.createBucket(b -> b.bucket(bucket));
    s3.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }
}
