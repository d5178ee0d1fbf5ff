package org.mictlanx.bench;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the benchmark's S3 clients: AWS SDK v2 sync client, Apache HTTP client with a pool of exactly
 * {@code concurrency} connections, path-style addressing, SDK-default checksums, and no retries (a
 * failed request counts as an error instead of being hidden by a retry).
 */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(URI endpoint, String accessKey, String secretKey, int concurrency) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(concurrency)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(5))
                        .connectionAcquisitionTimeout(Duration.ofMinutes(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMinutes(30)))
                .build();
    }
}
