# 附属機関等の委員公募 (public-member recruitment) lands with its own issue.
