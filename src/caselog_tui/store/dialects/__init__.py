"""The one place that knows which database engine a store runs on: each
module here holds one dialect's pragmas, bulk paths and error sentences."""
