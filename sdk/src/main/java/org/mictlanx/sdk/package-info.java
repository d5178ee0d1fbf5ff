/**
 * The native Java client of MictlanX: {@link org.mictlanx.sdk.MictlanX} (and its asynchronous
 * {@link org.mictlanx.sdk.AsyncMictlanX}), the {@link org.mictlanx.sdk.Producer} and the records they
 * take and return. Null-marked: nothing is null unless annotated {@link org.jspecify.annotations.Nullable}
 * (checked by NullAway in the build; JSpecify is an optional dependency, annotations only).
 */
@NullMarked
package org.mictlanx.sdk;

import org.jspecify.annotations.NullMarked;
