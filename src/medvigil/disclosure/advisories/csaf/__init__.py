"""The CSAF trusted-provider directory under /.well-known/csaf/."""
