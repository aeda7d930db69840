/** PathSec engine: everything that moves, encrypts, negotiates or measures packets. */
package io.pathsec.engine;
