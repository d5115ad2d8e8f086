/**
 * Structured (JSON) log records for the Lambda.
 *
 * <p>When the function's log format is JSON ({@code AWS_LAMBDA_LOG_FORMAT=JSON}, which the
 * promote-function module sets), {@link org.artifactpromoter.logging.StructuredLogging#configure}
 * makes every java.util.logging / System.Logger record one line holding one JSON object:
 *
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>when</th><th>value</th></tr>
 *   <tr><td>timestamp</td><td>always</td><td>ISO-8601 UTC with milliseconds</td></tr>
 *   <tr><td>level</td><td>always</td><td>TRACE, DEBUG, INFO, WARN, ERROR (Lambda's names)</td></tr>
 *   <tr><td>message</td><td>always</td><td>the formatted message</td></tr>
 *   <tr><td>logger</td><td>always</td><td>the class that logged</td></tr>
 *   <tr><td>promotionId, function, from, to, jobId, requestId</td><td>where known</td>
 *       <td>from the {@link org.artifactpromoter.logging.LogContext} scope</td></tr>
 *   <tr><td>error</td><td>with an exception</td><td>{@code {"name", "message", "stack"}} (Powertools'
 *       shape)</td></tr>
 * </table>
 *
 * <p>CloudWatch Logs Insights discovers the fields: {@code fields @timestamp, level, message |
 * filter promotionId = "..."}. The CLI keeps its human-readable lines. The formatter adds nothing
 * but these fields, so what keeps secrets out of plain lines keeps them out of JSON ones.
 */
package org.artifactpromoter.logging;
