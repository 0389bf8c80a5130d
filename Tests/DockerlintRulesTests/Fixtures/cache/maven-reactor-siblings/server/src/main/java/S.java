class S {}
