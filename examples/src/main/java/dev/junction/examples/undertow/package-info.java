/** How Junction's Undertow handler joins an existing Undertow handler chain. */
@NullMarked
package dev.junction.examples.undertow;

import org.jspecify.annotations.NullMarked;
