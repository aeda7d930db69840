/** PathSec desktop UI (JavaFX); talks to an engine only through the control API. */
package io.pathsec.ui;
