"""Open Referral UK (HSDS 3.0) interchange: read, check, import and export the directory."""
