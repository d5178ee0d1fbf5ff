/**
 * The router's API: {@link org.mictlanx.router.BallStore} and {@link org.mictlanx.router.MetaTable}
 * with the records they take and return, and the {@link org.mictlanx.router.Router} that implements
 * them over the peers. Null-marked: nothing is null unless annotated
 * {@link org.jspecify.annotations.Nullable} (checked by NullAway; the sub-packages are not covered).
 */
@NullMarked
package org.mictlanx.router;

import org.jspecify.annotations.NullMarked;
