//! Chinese typesetting: fonts, shaping, clreq line composition and page flow into positioned frames.
