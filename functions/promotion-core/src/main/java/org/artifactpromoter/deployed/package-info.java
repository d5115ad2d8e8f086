/**
 * Whether the code a Lambda function runs is the release at its environment's drop key.
 *
 * <p>The deployed function of {@code function} in {@code environment} is {@code
 * <function>-<environment>} unless {@code environments.<name>.deployedFunctionPattern} says
 * otherwise ({@code {function}-live}). Its {@code CodeSha256} (base64, from
 * GetFunctionConfiguration) is compared with the release's SHA-256 (hex): {@code match} is {@code
 * true} (RUNNING), {@code false} (DRIFT) or {@code null} (UNKNOWN, with the reason).
 */
package org.artifactpromoter.deployed;
