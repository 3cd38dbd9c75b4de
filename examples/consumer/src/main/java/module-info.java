/** A program that uses ringloop from the module path, as a user's service would. */
module io.ringloop.consumer {
    requires io.ringloop;
    requires io.ringloop.io;
}
