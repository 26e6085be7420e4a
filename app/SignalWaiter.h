#pragma once

namespace querydeck {

// SIGTERM/SIGINT handling for the headless commands. block() must run in
// main() before any thread starts, so every thread inherits the mask and the
// signals are only ever taken by wait(), synchronously, on the main thread —
// no async-signal-safety puzzles.
class SignalWaiter
{
public:
    static void block();
    // Blocks until SIGTERM or SIGINT arrives; returns the signal number.
    static int wait();
};

} // namespace querydeck
