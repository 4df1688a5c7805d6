"""Forms validate only; the views hand cleaned data to the services.

One module per form a submitter or staff member fills in: public_comment
(パブリックコメント), letter (市長への手紙), survey (アンケート and the respondent
attributes), staff (proxy entry of paper submissions, CSV import); fields holds
the identity fields and the opinion box they share.
"""
