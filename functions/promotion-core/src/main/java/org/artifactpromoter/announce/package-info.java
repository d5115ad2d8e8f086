/**
 * Every promotion outcome announced as a promotion event, whichever entry point reached it. Maps
 * the promoter's results and refusals to {@link org.artifactpromoter.events.PromotionEvent}s (which
 * know nothing of the promoter's types) and publishes them without ever changing the outcome.
 */
package org.artifactpromoter.announce;
