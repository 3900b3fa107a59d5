package db

// Retryable exposes retryable to the tests.
var Retryable = retryable
