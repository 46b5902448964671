"""The building blocks every story is made of: mobjects that know nothing of a scene (a grid of
numbers, a formula, the marks on a grid, a picture), the colours and sizes, the regions of the
frame, and the few pieces of choreography several stories share."""
