"""Export bundles, the central merge and Open Referral UK interchange."""
